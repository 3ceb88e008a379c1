// Calls machine.MachineService Version and ServiceList through apid with a client certificate, using only the
// .proto files (loaded at run time) and grpc-js: a client that shares no code with Basalt.
// Usage: node client.js PROTO_DIR GOOGLE_PROTO_DIR TARGET CA CRT KEY [NODES]
// Prints one JSON object: {version: <reply>, serviceList: <reply>} or exits 1 with the error.
'use strict';
const fs = require('fs');
const path = require('path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const [protoDir, googleDir, target, caFile, crtFile, keyFile, nodes] = process.argv.slice(2);
const definition = protoLoader.loadSync(path.join(protoDir, 'machine/machine.proto'), {
  includeDirs: [protoDir, googleDir],
  keepCase: true,
  longs: String,
  enums: String,
  defaults: true,
});
const api = grpc.loadPackageDefinition(definition);
const credentials = grpc.credentials.createSsl(fs.readFileSync(caFile), fs.readFileSync(keyFile),
  fs.readFileSync(crtFile));
const client = new api.machine.MachineService(target, credentials);

function call(method) {
  const metadata = new grpc.Metadata();
  if (nodes) {
    metadata.set('nodes', nodes);
  }
  return new Promise((resolve, reject) => {
    client[method]({}, metadata, { deadline: Date.now() + 20000 }, (err, reply) => (err ? reject(err) : resolve(reply)));
  });
}

(async () => {
  try {
    const version = await call('Version');
    const serviceList = await call('ServiceList');
    process.stdout.write(JSON.stringify({ version, serviceList }) + '\n');
    client.close();
  } catch (e) {
    process.stderr.write(`grpc-js call failed: ${e.code} ${e.details || e.message}\n`);
    process.exit(1);
  }
})();
