#!/usr/bin/env python3
"""Where the upload -> verdict time goes, per image, for a load run kept with LOAD_KEEP=1 (issue 19).

Usage: python3 scripts/verdict-stages.py er_load_<id> [s3-container] [--skip-first SECONDS]

--skip-first leaves out the images uploaded in the first SECONDS after the run's first upload: a run with
`--warmup 60` is measured from there (the warm-up's start-up JIT otherwise fills the tails).

Three clocks the run leaves behind, no tracing needed:
  - the image row's UploadedAt (MaterialStorage, when the upload handler started the write);
  - MaterialStorage's outbox row of the image's MaterialUploaded (CreatedAt in the upload's transaction, PublishedAt
    when the relay had the broker's confirm);
  - the modification times of the original and of the watermarked copy in the S3 server's data directory (s3rver
    keeps one file per object: MaterialStorage's PUT, then ImageValidation's PUT just before it publishes the verdict);
  - MaterialStorage's inbox row for the verdict (ProcessedAt; its message id is derived from the image id, see
    MaterialObjects.VerdictMessageId).
Prints p50/p90/p99/max of each step: the original stored, the upload message queued in the outbox (before the commit), the commit and the relay's
publish, ImageValidation's queue and work up to the copy stored, and the verdict applied (broker, MaterialStorage's
consumer).
PostgreSQL settings come from PGHOST/PGPORT/PGUSER/PGPASSWORD (scripts/infra.sh's defaults otherwise).
"""
import hashlib
import os
import subprocess
import sys
import uuid

args = sys.argv[1:]
skip_first = 0.0
if "--skip-first" in args:
    at = args.index("--skip-first")
    if at + 1 >= len(args):
        sys.exit("--skip-first needs a number of seconds\n\n" + __doc__)
    skip_first = float(args[at + 1])
    del args[at:at + 2]
run = args[0] if args else sys.exit(__doc__)
container = args[1] if len(args) > 1 else "examreview-infra-s3"
env = dict(os.environ, PGHOST=os.environ.get("PGHOST", "127.0.0.1"), PGPORT=os.environ.get("PGPORT", "55432"),
           PGUSER=os.environ.get("PGUSER", "examreview"), PGPASSWORD=os.environ.get("PGPASSWORD", "examreview"))


def query(sql):
    out = subprocess.run(["psql", "-d", f"{run}_materialstorage", "-AtF,", "-c", sql], env=env, check=True,
                         capture_output=True, text=True).stdout
    return [line.split(",") for line in out.splitlines() if line]


def verdict_message_id(image_id):
    digest = bytearray(hashlib.sha256(("MaterialValidated:" + uuid.UUID(image_id).hex).encode("ascii")).digest())
    digest[6] = (digest[6] & 0x0F) | 0x80
    digest[8] = (digest[8] & 0x3F) | 0x80
    return str(uuid.UUID(bytes=bytes(digest[:16])))


images = query('SELECT "Id", extract(epoch FROM "UploadedAt"), "ObjectKey", "ReviewerCopyKey" FROM "Images"')
outbox = {}
for image_id, created, published in query(
        """SELECT "Body"::json->>'imageId', extract(epoch FROM "CreatedAt"), extract(epoch FROM "PublishedAt")
           FROM "OutboxMessages" WHERE "MessageType" = 'ExamReview.Contracts.MaterialUploaded' AND "PublishedAt" IS NOT NULL"""):
    outbox[image_id] = (float(created), float(published))
applied = {m: float(t) for m, t in query('SELECT "MessageId", extract(epoch FROM "ProcessedAt") FROM "InboxMessages"')}
listing = subprocess.run(["docker", "exec", container, "find", "/data", "-name", "*._S3rver_object", "-printf", "%P %T@\n"],
                         check=True, capture_output=True, text=True).stdout
stored = {}
for line in listing.splitlines():
    path, at = line.rsplit(" ", 1)
    stored[path.split("/", 1)[1].removesuffix("._S3rver_object")] = float(at)  # drop the bucket folder

stages = {"row -> original stored": [], "original stored -> message queued (outbox)": [],
          "queued -> published (commit, relay)": [], "published -> copy stored (queue, work)": [],
          "copy stored -> verdict applied": [], "row -> verdict applied (total)": []}
first_upload = min((float(row[1]) for row in images), default=0.0)
skipped = 0
for image_id, uploaded_at, original, copy in images:
    if float(uploaded_at) < first_upload + skip_first:
        skipped += 1
        continue
    verdict = applied.get(verdict_message_id(image_id))
    if verdict is None or original not in stored or copy not in stored or image_id not in outbox:
        continue
    uploaded_at = float(uploaded_at)
    created, published = outbox[image_id]
    stages["row -> original stored"].append(stored[original] - uploaded_at)
    stages["original stored -> message queued (outbox)"].append(created - stored[original])
    stages["queued -> published (commit, relay)"].append(published - created)
    stages["published -> copy stored (queue, work)"].append(stored[copy] - published)
    stages["copy stored -> verdict applied"].append(verdict - stored[copy])
    stages["row -> verdict applied (total)"].append(verdict - uploaded_at)

count = len(stages["row -> verdict applied (total)"])
print(f"{run}: {count} of {len(images) - skipped} images with both objects, a published upload message and an applied verdict (seconds)"
      + (f"; {skipped} uploaded in the first {skip_first:g} s left out" if skip_first else ""))
for name, values in stages.items():
    values.sort()
    if values:
        at = lambda q: values[min(len(values) - 1, int(q * len(values)))]
        print(f"  {name:42} p50 {at(0.5):6.3f}  p90 {at(0.9):6.3f}  p99 {at(0.99):6.3f}  max {values[-1]:6.3f}")
