'use strict';
// s3rver behind MinIO's command line: `server <dir> [--address [host]:port]`.
// MINIO_ROOT_USER / MINIO_ROOT_PASSWORD become an access key pair s3rver accepts (it knows only S3RVER/S3RVER
// otherwise); MINIO_DEFAULT_BUCKETS (comma-separated) are created at start; /minio/health/{live,ready} answer 200.
const fs = require('fs');
require('./store-fixes'); // before s3rver: it replaces what the store takes from s3rver's utils when loaded
const S3rver = require('s3rver');
const AWSAccount = require('s3rver/lib/models/account');

const args = process.argv.slice(2);
if (args[0] !== 'server' || !args[1]) {
  console.error('usage: server <data-directory> [--address [host]:port]');
  process.exit(2);
}
const directory = args[1];
let address = '0.0.0.0';
let port = 9000;
const at = args.indexOf('--address');
if (at >= 0 && args[at + 1]) {
  const [host, p] = args[at + 1].split(':');
  if (host) address = host;
  if (p) port = Number(p);
}
fs.mkdirSync(directory, { recursive: true });

const user = process.env.MINIO_ROOT_USER;
const password = process.env.MINIO_ROOT_PASSWORD;
if (user && password) {
  AWSAccount.DUMMY_ACCOUNT.createKeyPair(user, password);
}
const buckets = (process.env.MINIO_DEFAULT_BUCKETS || '')
  .split(',').map(b => b.trim()).filter(Boolean)
  .map(name => ({ name, configs: [] }));

// Path-style only, as MinIO: with virtual-host buckets on, s3rver would read the Host header of a request
// to http://minio:9000/<bucket> as the bucket "minio".
const server = new S3rver({
  directory, address, port, vhostBuckets: false, silent: process.env.S3_SILENT === '1', configureBuckets: buckets,
});
// First in the chain, before s3rver's own routes take /minio as a bucket name.
server.middleware.unshift(async (ctx, next) => {
  if (ctx.method === 'GET' && (ctx.path === '/minio/health/live' || ctx.path === '/minio/health/ready')) {
    ctx.status = 200;
    ctx.body = '';
    return;
  }
  await next();
});

server.run().then(
  ({ address: a, port: p }) => console.log(`S3 server (s3rver) on ${a}:${p}, data in ${directory}`),
  err => { console.error(err); process.exit(1); });

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => server.close().finally(() => process.exit(0)));
}
