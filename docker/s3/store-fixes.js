'use strict';
// Fixes to s3rver 3.7.1's filesystem store, loaded before the server starts. Without them the process could end
// mid-run when a put and a delete met under one prefix, refusing every later request (the connection is refused).
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const { Readable, Transform } = require('stream');
const { pipeline } = require('stream/promises');
const utils = require('s3rver/lib/utils');

// s3rver lists a bucket by walking its folders: readdir, then a stat of each entry. A file that goes between the two
// (a delete, or a put's own file renamed into place) made the stat throw, and the whole listing answered 500. An
// entry gone by the time it is looked at was not there: skipped. The store takes walk from utils when it is first
// loaded, so this must run before anything loads s3rver (server.js requires this file first).
if (require.cache[require.resolve('s3rver/lib/stores/filesystem')]) {
  throw new Error('store-fixes.js must be loaded before s3rver');
}
utils.walk = function* walkWhatRemains(dir, recurseFilter) {
  let names;
  try {
    names = fs.readdirSync(dir);
  } catch (err) {
    if (err.code === 'ENOENT') return;
    throw err;
  }
  for (const filename of names) {
    const filePath = path.posix.join(dir, filename);
    const stats = fs.statSync(filePath, { throwIfNoEntry: false });
    if (!stats) continue;
    if (!stats.isDirectory()) {
      yield filePath;
    } else if (!recurseFilter || recurseFilter(filePath)) {
      yield* walkWhatRemains(filePath, recurseFilter);
    }
  }
};

const FilesystemStore = require('s3rver/lib/stores/filesystem');

// s3rver's put answers once the bytes have passed its digest, before its file stream has written (or even opened)
// the file, and leaves that stream's errors unhandled: a failed write ended the process. It also wrote into the
// object's own file, so a body cut off mid-way (a client that went away) stayed behind as the object: a new key
// served its first bytes, a replaced one lost its old content. This put writes a file of its own beside the object
// (a name listing skips: it does not end in the object suffix), answers only when that file is complete, and then
// moves it into place in one rename: a reader sees the old object or the new one, never part of one. A failed or
// cut-off body is an error of that request alone, its file closed (pipeline destroys every stream) and removed.
FilesystemStore.prototype.putObject = async function putObjectWhenWritten(object) {
  const objectPath = this.getResourcePath(object.bucket, object.key, 'object');
  await fs.promises.mkdir(path.dirname(objectPath), { recursive: true });
  const partialPath = `${objectPath}.partial-${crypto.randomBytes(8).toString('hex')}`;
  const md5 = crypto.createHash('md5');
  let size = 0;
  const digest = new Transform({
    transform(chunk, encoding, callback) {
      md5.update(chunk);
      size += chunk.length;
      callback(null, chunk);
    },
  });
  const content = Buffer.isBuffer(object.content) ? Readable.from([object.content]) : object.content;
  try {
    await pipeline(content, digest, fs.createWriteStream(partialPath));
    const hash = md5.digest('hex');
    // The metadata first: a new key becomes visible only with the rename, complete with its content type and digest.
    await this.putMetadata(object.bucket, object.key, object.metadata, hash);
    await fs.promises.rename(partialPath, objectPath);
    return { size, md5: hash };
  } catch (err) {
    await fs.promises.unlink(partialPath).catch(() => {});
    throw err;
  }
};

// s3rver removes a key's folder as soon as a delete leaves it empty. A put into that folder that has just created it
// then fails to open its file, and that write stream's unhandled 'error' ends the whole process: every later request
// is refused (seen in CI: uploads refused for the rest of a run after a delete and a put met under one prefix). S3 has
// no folders and s3rver lists from the object files alone, so a delete here removes the object's files and keeps
// the folders, which makes the race impossible.
FilesystemStore.prototype.deleteObject = async function deleteObjectKeepingFolders(bucket, key) {
  await Promise.all(['object', 'object.md5', 'metadata.json'].map(resource =>
    fs.promises.unlink(this.getResourcePath(bucket, key, resource)).catch(err => {
      if (err.code !== 'ENOENT') throw err;
    })));
};

module.exports = FilesystemStore;
