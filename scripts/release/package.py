#!/usr/bin/env python3
"""Packages built provider binaries the way a Terraform/OpenTofu provider registry expects them.

For each `--binary OS_ARCH=PATH` it writes `terraform-provider-hub_VERSION_OS_ARCH.zip` holding one file,
`terraform-provider-hub_vVERSION` (`.exe` on Windows), then the manifest, the SHA256SUMS file and, with
`--sign-key`, its detached GPG signature:

    package.py --version 0.1.0 --out dist --binary linux_amd64=target/.../terraform-provider-hub \
        [--binary OS_ARCH=PATH ...] [--gnupghome DIR] [--sign-key KEYID] [--source-date-epoch N]

The zips are reproducible: identical input gives byte-identical archives (fixed timestamp from
`--source-date-epoch`, else SOURCE_DATE_EPOCH, else 1980-01-01; fixed mode 0755; deflate; no extra fields),
because a registry and every lock file pin their SHA-256. Python 3 standard library only (a CI prerequisite).
"""

import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
import time
import zipfile

NAME = "terraform-provider-hub"
# Platforms the registries list; a typo here would publish a zip no CLI ever asks for.
OSES = {"linux", "darwin", "windows", "freebsd", "openbsd", "netbsd", "solaris"}
ARCHES = {"amd64", "arm64", "386", "arm"}
VERSION = re.compile(r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?$")
# The earliest time a zip entry can carry (DOS dates start in 1980).
ZIP_EPOCH = 315532800
MANIFEST = {"version": 1, "metadata": {"protocol_versions": ["6.0"]}}


class Refused(Exception):
    """Bad input: reported as one clear line, exit status 2."""


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--version", required=True, help="release version X.Y.Z (no leading v)")
    p.add_argument("--out", required=True, help="output directory (created if missing)")
    p.add_argument("--binary", action="append", required=True, metavar="OS_ARCH=PATH",
                   help="a built executable and its platform, e.g. linux_amd64=target/x/terraform-provider-hub")
    p.add_argument("--gnupghome", help="GnuPG home holding the signing key (default: gpg's own)")
    p.add_argument("--sign-key", help="key ID to sign SHA256SUMS with; unsigned when absent")
    p.add_argument("--source-date-epoch", type=int, help="timestamp of the zip entries (default: SOURCE_DATE_EPOCH)")
    return p.parse_args(argv)


def check_version(version):
    if not VERSION.match(version):
        raise Refused(f"--version {version!r} is not a semantic version X.Y.Z (no leading v)")


def parse_binaries(specs):
    """[(os_arch, path)] sorted by platform, so the SHA256SUMS order never depends on argument order."""
    seen = {}
    for spec in specs:
        platform, sep, path = spec.partition("=")
        if not sep or not path:
            raise Refused(f"--binary {spec!r} is not OS_ARCH=PATH")
        os_name, sep, arch = platform.partition("_")
        if not sep or os_name not in OSES or arch not in ARCHES:
            raise Refused(f"--binary {spec!r}: {platform!r} is not OS_ARCH with OS in {sorted(OSES)} "
                          f"and ARCH in {sorted(ARCHES)}")
        if platform in seen:
            raise Refused(f"--binary: platform {platform} given twice")
        if not os.path.isfile(path):
            raise Refused(f"--binary {spec!r}: no such file {path}")
        seen[platform] = path
    return sorted(seen.items())


def entry_time(flag):
    """The zip entry timestamp as a UTC tuple, never before 1980 (zip cannot store earlier dates)."""
    epoch = flag
    if epoch is None and os.environ.get("SOURCE_DATE_EPOCH"):
        try:
            epoch = int(os.environ["SOURCE_DATE_EPOCH"])
        except ValueError:
            raise Refused(f"SOURCE_DATE_EPOCH={os.environ['SOURCE_DATE_EPOCH']!r} is not an integer")
    epoch = max(ZIP_EPOCH, epoch if epoch is not None else ZIP_EPOCH)
    return time.gmtime(epoch)[:6]


def write_zip(path, member, binary, date_time):
    """One deflated member with fixed metadata: the same binary always gives the same bytes."""
    info = zipfile.ZipInfo(member, date_time=date_time)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3  # Unix, so external_attr carries the mode
    info.external_attr = (0o100755 & 0xFFFF) << 16
    with open(binary, "rb") as f:
        data = f.read()
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=6)


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def sign(sums, key, gnupghome):
    """A binary detached signature `SUMS.sig`, as the registry protocol's `shasums_signature_url` serves."""
    cmd = ["gpg", "--batch", "--yes", "--local-user", key, "--output", sums + ".sig", "--detach-sign", sums]
    if gnupghome:
        cmd[1:1] = ["--homedir", gnupghome]
    try:
        result = subprocess.run(cmd, capture_output=True, text=True)
    except OSError as e:
        raise Refused(f"cannot run gpg to sign {sums}: {e}")
    if result.returncode != 0:
        raise Refused(f"gpg could not sign {sums} with key {key}: {result.stderr.strip()}")


def package(args):
    check_version(args.version)
    binaries = parse_binaries(args.binary)
    date_time = entry_time(args.source_date_epoch)
    os.makedirs(args.out, exist_ok=True)
    prefix = f"{NAME}_{args.version}"
    files = []
    for platform, binary in binaries:
        member = f"{NAME}_v{args.version}" + (".exe" if platform.startswith("windows_") else "")
        name = f"{prefix}_{platform}.zip"
        write_zip(os.path.join(args.out, name), member, binary, date_time)
        files.append(name)
    manifest = f"{prefix}_manifest.json"
    with open(os.path.join(args.out, manifest), "w", encoding="utf-8") as f:
        f.write(json.dumps(MANIFEST, indent=2) + "\n")
    files.append(manifest)
    sums = os.path.join(args.out, f"{prefix}_SHA256SUMS")
    with open(sums, "w", encoding="utf-8") as f:
        for name in sorted(files):
            f.write(f"{sha256(os.path.join(args.out, name))}  {name}\n")
    if args.sign_key:
        sign(sums, args.sign_key, args.gnupghome)
    for name in sorted(files) + [os.path.basename(sums)] + ([os.path.basename(sums) + ".sig"] if args.sign_key else []):
        print(os.path.join(args.out, name))


def main(argv):
    try:
        package(parse_args(argv))
    except Refused as e:
        print(f"package.py: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
