"""
The e2e suite's emulator launcher: the shared launcher (../shared/emulator/moto-server.py,
read-only here) with its three fixes, plus three more emulator artifacts corrected in this
process only, in the suite rather than the product.

Fix 4 (lifecycle NewerNoncurrentVersions): AWS answers GetBucketLifecycleConfiguration with
  the NoncurrentVersionExpiration's NewerNoncurrentVersions that the PUT set; moto 5.2.3
  keeps only NoncurrentDays, so hashicorp/aws waits 3 minutes for a round trip that never
  comes and fails the apply of any bucket with central.lifecycle (noncurrent versions expire,
  the newest 5 are kept). The fix remembers the value per rule and puts it back in the answer.

Fix 5 (replication tag filters): a rule filtered by prefix AND tag is stored as moto parsed
  the XML (Filter.And.Tag, a dict or a list), but answered through a shape that only knows
  Filter.And.Tags, so the tag vanished from GetBucketReplication and every plan of a member
  with a tag rule showed a change. The fix answers Tag as Tags.

Fix 6 (replication, on request): moto stores a bucket's replication configuration but never
  replicates. POST /moto-api/e2e/replicate {"bucket", "key", "destination"} does, once, what S3
  would do for the current version of that key: for each enabled rule of the source bucket's
  stored configuration whose prefix matches the key and whose destination is the named
  bucket, it writes the object there as S3 replication does, beside the destination's bucket
  policy (replication is s3:ReplicateObject, never s3:PutObject), with the destination's
  default encryption and Object Lock retention. Rules with a tag filter are not emulated.
  It answers the rule IDs used; none is a 409. The vault's bucket policy denies s3:PutObject to
  everyone, so this is the only way its "replicas" reach it in the emulator.

Run: python3 moto-e2e.py <emulator dir> -H 127.0.0.1 -p <port>
"""

import importlib.util
import os
import re
import sys


def fix_newer_noncurrent_versions() -> str:
    from moto.s3.models import FakeBucket
    from moto.s3.responses import S3Response

    original_set = FakeBucket.set_lifecycle

    def set_lifecycle(self, rules):  # type: ignore[no-untyped-def]
        original_set(self, rules)
        self.e2e_newer_noncurrent = {
            str(rule.get("ID")): str(rule["NoncurrentVersionExpiration"]["NewerNoncurrentVersions"])
            for rule in rules
            if (rule.get("NoncurrentVersionExpiration") or {}).get("NewerNoncurrentVersions") is not None
        }

    FakeBucket.set_lifecycle = set_lifecycle
    original_get = S3Response.get_bucket_lifecycle

    def with_newer(body: str, newer: dict) -> str:
        def rule(match):  # type: ignore[no-untyped-def]
            text = match.group(0)
            rule_id = re.search(r"<ID>(.*?)</ID>", text)
            n = newer.get(rule_id.group(1)) if rule_id else None
            if n is None or "<NewerNoncurrentVersions>" in text.split("<NoncurrentVersionExpiration>")[-1]:
                return text
            return text.replace("</NoncurrentVersionExpiration>", f"<NewerNoncurrentVersions>{n}</NewerNoncurrentVersions></NoncurrentVersionExpiration>")

        return re.sub(r"<Rule>.*?</Rule>", rule, body, flags=re.S)

    def get_bucket_lifecycle(self):  # type: ignore[no-untyped-def]
        status, headers, body = original_get(self)
        newer = getattr(self.backend.get_bucket(self.bucket_name), "e2e_newer_noncurrent", {})
        if newer:
            text = body.decode() if isinstance(body, bytes) else body
            body = with_newer(text, newer)
        return status, headers, body

    S3Response.get_bucket_lifecycle = get_bucket_lifecycle
    return "s3 GetBucketLifecycleConfiguration returns NoncurrentVersionExpiration's NewerNoncurrentVersions"


def fix_replication_tag_filters() -> str:
    import copy

    from moto.s3.models import S3Backend

    original = S3Backend.get_bucket_replication

    def get_bucket_replication(self, bucket_name):  # type: ignore[no-untyped-def]
        replication = original(self, bucket_name)
        if not replication:
            return replication
        replication = copy.deepcopy(replication)
        for rule in replication.get("Rule", []):
            conjunction = (rule.get("Filter") or {}).get("And")
            if isinstance(conjunction, dict) and "Tag" in conjunction:
                tags = conjunction.pop("Tag")
                conjunction["Tags"] = tags if isinstance(tags, list) else [tags]
        return replication

    S3Backend.get_bucket_replication = get_bucket_replication
    return "s3 GetBucketReplication answers a rule's Filter.And.Tag as Tags"


def rule_matches(rule, key: str, destination: str) -> bool:  # type: ignore[no-untyped-def]
    if rule.get("Status") != "Enabled":
        return False
    if rule.get("Destination", {}).get("Bucket") != f"arn:aws:s3:::{destination}":
        return False
    flt = rule.get("Filter") or {}
    if "Tag" in flt or "Tag" in (flt.get("And") or {}) or "Tags" in (flt.get("And") or {}):
        return False
    prefix = flt.get("Prefix", (flt.get("And") or {}).get("Prefix", rule.get("Prefix", ""))) or ""
    return key.startswith(prefix)


def replicate_on_request() -> str:
    import json

    from moto.moto_api._internal import urls
    from moto.s3.models import s3_backends

    def replicate(request, full_url, headers):  # type: ignore[no-untyped-def]
        ask = json.loads(request.data or b"{}")
        partition, account = s3_backends.bucket_accounts[ask["bucket"]]
        backend = s3_backends[account][partition]
        rules = (backend.get_bucket_replication(ask["bucket"]) or {}).get("Rule", [])
        used = [r.get("ID") for r in rules if rule_matches(r, ask["key"], ask["destination"])]
        if not used:
            return 409, {}, json.dumps({"error": f"no enabled rule of {ask['bucket']} replicates {ask['key']} into {ask['destination']}"})
        source = backend.get_object(ask["bucket"], ask["key"])
        dest_partition, dest_account = s3_backends.bucket_accounts[ask["destination"]]
        s3_backends[dest_account][dest_partition].put_object(ask["destination"], ask["key"], source.value)
        return 200, {}, json.dumps({"rules": used})

    urls.url_paths["{0}/moto-api/e2e/replicate"] = replicate
    return "POST /moto-api/e2e/replicate replicates one key along the source bucket's stored rules, on request"


if __name__ == "__main__":
    emulator_dir, args = sys.argv[1], sys.argv[2:]
    sys.path[:0] = [emulator_dir, os.path.join(emulator_dir, "stubs")]
    spec = importlib.util.spec_from_file_location("shared_moto_server", os.path.join(emulator_dir, "moto-server.py"))
    launcher = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(launcher)
    for line in [*launcher.apply_fixes(), fix_newer_noncurrent_versions(), fix_replication_tag_filters(), replicate_on_request()]:
        print(f"e2e-moto-server: fix applied: {line}", file=sys.stderr, flush=True)
    from moto.server import main

    main(args)
