using ExamReview.IntegrationTests.Infrastructure;
using ExamReview.ServiceDefaults.Storage;

namespace ExamReview.IntegrationTests.Tests.Storage;

/// <summary>
/// The project's S3 server image (docker/s3: s3rver with docker/s3/store-fixes.js) when puts and deletes meet under
/// one prefix, as reviewer copies and replaced originals do. s3rver 3.7.1 removed a folder a delete left empty and did
/// not handle its file stream's errors, so a put into that folder could end the server: every later request was
/// refused, failing whatever test came next.
/// </summary>
[Collection(ServersCollection.Name)]
public sealed class S3ServerImageTests(ServerContainers servers)
{
    private const int Workers = 8;

    // The store itself, driven as hard as one node process can: 8 workers × 500 put → read back → delete in one
    // folder. Before the fixes this ended with an uncaught ENOENT within a few hundred operations.
    private const string StoreRace = """
        const FilesystemStore = require('/opt/s3/store-fixes.js');
        const S3Object = require('/opt/s3/node_modules/s3rver/lib/models/object');
        const { Readable } = require('stream');
        const fs = require('fs');
        process.on('uncaughtException', e => { console.error('uncaught: ' + e.message); process.exit(3); });
        (async () => {
          const root = fs.mkdtempSync('/tmp/store-race-');
          fs.mkdirSync(root + '/b');
          const store = new FilesystemStore(root);
          const worker = async w => {
            for (let i = 0; i < 500; i++) {
              const key = `reviewer-copies/app/${w}-${i}`;
              await store.putObject(new S3Object('b', key, Readable.from([Buffer.alloc(4096, w)]), {}));
              const read = await store.getObject('b', key);
              let length = 0;
              for await (const chunk of read.content) length += chunk.length;
              if (length !== 4096) throw new Error(`read ${length} of 4096 bytes of ${key}`);
              await store.deleteObject('b', key);
            }
          };
          await Promise.all([...Array(8).keys()].map(worker));
          const left = (await store.listObjects('b', {})).objects.length;
          fs.rmSync(root, { recursive: true });
          console.log(`objects left: ${left}`);
          process.exit(left === 0 ? 0 : 1);
        })().catch(e => { console.error(e); process.exit(1); });
        """;

    // A body cut off mid-way (the client went away), 50 times for a new key and for one that exists: each put fails
    // alone, the new key is never served, the existing one keeps its content and type, and no file or descriptor is
    // left behind. s3rver wrote into the object's own file, so a cut-off new key served its first kilobyte.
    private const string CutOffPuts = """
        const FilesystemStore = require('/opt/s3/store-fixes.js');
        const S3Object = require('/opt/s3/node_modules/s3rver/lib/models/object');
        const { Readable } = require('stream');
        const fs = require('fs');
        process.on('uncaughtException', e => { console.error('uncaught: ' + e.message); process.exit(3); });
        const cutOff = () => new Readable({
          read() {
            if (this.sent) { this.destroy(new Error('aborted')); return; }
            this.sent = true;
            this.push(Buffer.alloc(1024, 7));
          },
        });
        (async () => {
          const root = fs.mkdtempSync('/tmp/store-cut-');
          fs.mkdirSync(root + '/b');
          const store = new FilesystemStore(root);
          const fds = () => fs.readdirSync('/proc/self/fd').length;
          const before = fds();
          await store.putObject(new S3Object('b', 'kept/a', Readable.from([Buffer.alloc(4096, 1)]), { 'content-type': 'image/jpeg' }));
          for (let i = 0; i < 50; i++) {
            for (const key of ['new/a', 'kept/a']) {
              const failed = await store.putObject(new S3Object('b', key, cutOff(), {})).then(() => false, () => true);
              if (!failed) throw new Error(`a cut-off put of ${key} succeeded`);
            }
          }
          if (await store.getObject('b', 'new/a') !== null) throw new Error('a cut-off new object is served');
          const kept = await store.getObject('b', 'kept/a');
          let length = 0;
          for await (const chunk of kept.content) length += chunk.length;
          if (length !== 4096 || kept.metadata['content-type'] !== 'image/jpeg') throw new Error(`the replaced object lost its content: ${length} bytes, ${kept.metadata['content-type']}`);
          const listed = (await store.listObjects('b', {})).objects.map(o => o.key).join(',');
          const files = fs.readdirSync(root + '/b/new').length + fs.readdirSync(root + '/b/kept').length;
          const leaked = fds() - before;
          fs.rmSync(root, { recursive: true });
          console.log(`listed: ${listed}; files: ${files}; leaked descriptors: ${leaked}`);
          process.exit(listed === 'kept/a' && files === 3 && leaked <= 0 ? 0 : 1);
        })().catch(e => { console.error(e); process.exit(1); });
        """;

    [Fact]
    public async Task A_put_whose_body_is_cut_off_fails_alone_and_leaves_no_part_of_an_object_visible()
    {
        var result = await servers.S3.ExecAsync(["node", "-e", CutOffPuts]);

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Stdout}{result.Stderr}");
        Assert.Contains("listed: kept/a; files: 3; leaked descriptors: 0", result.Stdout, StringComparison.Ordinal);
    }

    // Two listings over and over while 6 workers put and delete under the listed prefix: s3rver's walk stat'ed each
    // entry after reading the folder, so a file gone in between (a delete, a put's file renamed into place) made the
    // listing a 500; about one in sixty failed here before the fix.
    private const string ListsDuringPuts = """
        const FilesystemStore = require('/opt/s3/store-fixes.js');
        const S3Object = require('/opt/s3/node_modules/s3rver/lib/models/object');
        const { Readable } = require('stream');
        const fs = require('fs');
        process.on('uncaughtException', e => { console.error('uncaught: ' + e.message); process.exit(3); });
        (async () => {
          const root = fs.mkdtempSync('/tmp/store-list-');
          fs.mkdirSync(root + '/b');
          const store = new FilesystemStore(root);
          let done = false;
          let lists = 0;
          let failures = 0;
          let firstFailure = '';
          const writer = async w => {
            for (let i = 0; i < 300; i++) {
              const key = `reviewer-copies/app/${w}-${i}`;
              await store.putObject(new S3Object('b', key, Readable.from([Buffer.alloc(2048, w)]), {}));
              await store.deleteObject('b', key);
            }
          };
          const lister = async () => {
            while (!done) {
              lists++;
              await new Promise(resolve => setImmediate(resolve));
              await store.listObjects('b', { prefix: 'reviewer-copies/' }).catch(e => { failures++; firstFailure ||= e.message; });
            }
          };
          const listers = [lister(), lister()];
          await Promise.all([...Array(6).keys()].map(writer));
          done = true;
          await Promise.all(listers);
          fs.rmSync(root, { recursive: true });
          console.log(`lists: ${lists}; failed lists: ${failures} ${firstFailure}`);
          process.exit(failures === 0 ? 0 : 1);
        })().catch(e => { console.error(e); process.exit(1); });
        """;

    [Fact]
    public async Task Listing_while_objects_come_and_go_under_the_prefix_never_fails()
    {
        var result = await servers.S3.ExecAsync(["node", "-e", ListsDuringPuts]);

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Stdout}{result.Stderr}");
        Assert.Contains("failed lists: 0", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_store_survives_puts_into_a_folder_that_deletes_keep_emptying_and_answers_only_when_written()
    {
        var result = await servers.S3.ExecAsync(["node", "-e", StoreRace]);

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Stdout}{result.Stderr}");
        Assert.Contains("objects left: 0", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Concurrent_puts_reads_and_deletes_under_one_prefix_all_succeed_over_http_and_leave_nothing_listed()
    {
        using var store = new S3ObjectStore(S3StoreOptions.Parse(servers.S3.ConnectionString(S3Server.NewBucketName("race"))));
        await store.PutAsync("warm-up", new byte[] { 0 }, "image/jpeg", CancellationToken.None); // makes the bucket once

        await Task.WhenAll(Enumerable.Range(0, Workers).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; i < 40; i++)
            {
                var key = $"originals/app/{worker}-{i}";
                var bytes = new byte[2048];
                Random.Shared.NextBytes(bytes);
                await store.PutAsync(key, bytes, "image/jpeg", CancellationToken.None);
                var read = await store.GetAsync(key, CancellationToken.None);
                Assert.NotNull(read);
                Assert.Equal(bytes, read.Content);
                await store.DeleteAsync(key, CancellationToken.None);
            }
        })));

        Assert.Empty(await store.ListAsync("originals/", CancellationToken.None));
        Assert.Equal([0], (await store.GetAsync("warm-up", CancellationToken.None))!.Content);
    }
}
