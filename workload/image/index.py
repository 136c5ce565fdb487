#!/usr/bin/env python3
"""Joins the per-architecture images TAG-ARCH of an OCI layout into one image index tagged TAG.

umoci writes one manifest per tag and no index with platforms; a registry push (`skopeo copy
oci:LAYOUT:TAG ...`) and containerd need the index to pick the node's architecture.
Usage: index.py LAYOUT TAG ARCH...
"""

import hashlib
import json
import os
import sys

REF = "org.opencontainers.image.ref.name"


def main(layout: str, tag: str, archs: list[str]) -> None:
    index_path = os.path.join(layout, "index.json")
    with open(index_path) as f:
        top = json.load(f)
    by_ref = {m.get("annotations", {}).get(REF): m for m in top["manifests"]}
    manifests = []
    for arch in archs:
        desc = dict(by_ref[f"{tag}-{arch}"])
        desc.pop("annotations", None)
        desc["platform"] = {"architecture": arch, "os": "linux"}
        if arch == "arm64":
            desc["platform"]["variant"] = "v8"
        manifests.append(desc)
    blob = json.dumps(
        {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": manifests},
        indent=2,
    ).encode()
    digest = hashlib.sha256(blob).hexdigest()
    with open(os.path.join(layout, "blobs", "sha256", digest), "wb") as f:
        f.write(blob)
    top["manifests"] = [m for m in top["manifests"] if m.get("annotations", {}).get(REF) != tag] + [
        {
            "mediaType": "application/vnd.oci.image.index.v1+json",
            "digest": f"sha256:{digest}",
            "size": len(blob),
            "annotations": {REF: tag},
        }
    ]
    with open(index_path, "w") as f:
        json.dump(top, f)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
