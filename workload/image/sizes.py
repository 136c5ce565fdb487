#!/usr/bin/env python3
"""Prints, as JSON, the sizes of the image index TAG in an OCI layout, per architecture: what a registry
stores (compressed), the unpacked root and the binary (read from the layer tars, so nothing is unpacked).

Usage: sizes.py LAYOUT TAG
"""

import gzip
import json
import os
import sys
import tarfile


def blob(layout: str, digest: str) -> str:
    return os.path.join(layout, "blobs", *digest.split(":"))


def load(layout: str, digest: str) -> dict:
    with open(blob(layout, digest)) as f:
        return json.load(f)


def main(layout: str, tag: str) -> None:
    with open(os.path.join(layout, "index.json")) as f:
        top = json.load(f)
    desc = next(m for m in top["manifests"] if m.get("annotations", {}).get("org.opencontainers.image.ref.name") == tag)
    images = {}
    for entry in load(layout, desc["digest"])["manifests"]:
        manifest = load(layout, entry["digest"])
        config = load(layout, manifest["config"]["digest"])
        layers = sum(layer["size"] for layer in manifest["layers"])
        unpacked, binary = 0, 0
        for layer in manifest["layers"]:
            with gzip.open(blob(layout, layer["digest"])) as raw, tarfile.open(fileobj=raw, mode="r|") as tar:
                for member in tar:
                    unpacked += member.size
                    if member.name.lstrip("./") == "hub-workload":
                        binary = member.size
        images[entry["platform"]["architecture"]] = {
            "manifest_digest": entry["digest"],
            "compressed_bytes": entry["size"] + manifest["config"]["size"] + layers,
            "layer_bytes": layers,
            "uncompressed_bytes": unpacked,
            "binary_bytes": binary,
            "user": config["config"].get("User"),
            "entrypoint": config["config"].get("Entrypoint"),
        }
    print(json.dumps({"image": f"{layout}:{tag}", "index_digest": desc["digest"], "images": images}, indent=2))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
