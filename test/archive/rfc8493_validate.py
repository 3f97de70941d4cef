#!/usr/bin/env python3
"""An independent RFC 8493 (BagIt 1.0) validator for the archive tests, standard library only.

Written from the RFC's text, sharing no code with convoshift's TypeScript writer, so both readings of the RFC must
agree. When the Library of Congress `bagit` module is installed (Debian's python3-bagit, where the release has it),
the bag is validated with it as well.

usage: rfc8493_validate.py <bag-dir>    exit 0 when valid; otherwise the problems on stderr, exit 1.
"""
import hashlib
import os
import re
import sys
import unicodedata


def fail(problems, message):
    problems.append(message)


def read_tag_lines(path):
    with open(path, "rb") as handle:
        raw = handle.read()
    if raw.startswith(b"\xef\xbb\xbf"):
        raise ValueError("starts with a byte-order mark")
    text = raw.decode("utf-8")
    # Section 2.1.1 / 2.2.2: lines end with LF, CR or CRLF.
    return re.split(r"\r\n|\r|\n", text)[:-1] if text else []


def parse_tags(path, problems):
    """Label: value lines; a line starting with whitespace continues the previous value (unfolded by dropping the break)."""
    tags = []
    for number, line in enumerate(read_tag_lines(path), 1):
        if line[:1] in (" ", "\t"):
            if not tags:
                fail(problems, "%s:%d: continuation line without a tag" % (os.path.basename(path), number))
            else:
                tags[-1][1] += line
            continue
        label, colon, value = line.partition(":")
        if not colon or not label or label != label.strip():
            fail(problems, "%s:%d: not a 'Label: value' line" % (os.path.basename(path), number))
            continue
        tags.append([label, value.strip()])
    return tags


def decode_path(path):
    return path.replace("%0A", "\n").replace("%0a", "\n").replace("%0D", "\r").replace("%0d", "\r").replace("%25", "%")


def parse_manifest(bag, name, problems):
    entries = {}
    for number, line in enumerate(read_tag_lines(os.path.join(bag, name)), 1):
        match = re.match(r"^([0-9a-fA-F]+)[ \t]+(.+)$", line)
        if not match:
            fail(problems, "%s:%d: not '<checksum> <path>'" % (name, number))
            continue
        path = decode_path(match.group(2))
        if path.startswith("/") or ".." in path.split("/"):
            fail(problems, "%s:%d: unsafe path %r" % (name, number, path))
            continue
        if path in entries:
            fail(problems, "%s:%d: %s listed twice" % (name, number, path))
        entries[path] = match.group(1).lower()
    return entries


def digest(path, algorithm):
    hasher = hashlib.new(algorithm)
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            hasher.update(block)
    return hasher.hexdigest()


def validate(bag):
    problems = []
    bagit_txt = os.path.join(bag, "bagit.txt")
    if not os.path.isfile(bagit_txt):
        return ["bagit.txt is missing"]
    # Section 2.1.1: exactly these two lines, in this order.
    tags = parse_tags(bagit_txt, problems)
    if [label for label, _ in tags] != ["BagIt-Version", "Tag-File-Character-Encoding"]:
        fail(problems, "bagit.txt: expected BagIt-Version then Tag-File-Character-Encoding, got %r" % tags)
    elif tags[0][1] != "1.0" or tags[1][1].upper() != "UTF-8":
        fail(problems, "bagit.txt: expected version 1.0 and UTF-8, got %r" % tags)
    with open(bagit_txt, "rb") as handle:
        if b"\r" in handle.read():
            fail(problems, "bagit.txt: convoshift writes LF line endings")

    data = os.path.join(bag, "data")
    if not os.path.isdir(data):
        return problems + ["data/ is missing"]
    payload = {}
    for root, dirs, files in os.walk(data):
        dirs.sort()
        for name in sorted(files):
            full = os.path.join(root, name)
            if os.path.islink(full):
                fail(problems, "%s: a symbolic link in the payload" % full)
            payload[os.path.relpath(full, bag).replace(os.sep, "/")] = os.path.getsize(full)
    normalized = {}
    for path in payload:
        key = unicodedata.normalize("NFC", path)
        if key in normalized:
            fail(problems, "%s and %s differ only in Unicode normalization" % (path, normalized[key]))
        normalized[key] = path

    top = sorted(name for name in os.listdir(bag) if os.path.isfile(os.path.join(bag, name)))
    manifests = [name for name in top if re.match(r"^manifest-[a-z0-9]+\.txt$", name)]
    if not manifests:
        fail(problems, "no payload manifest")
    for name in manifests:
        algorithm = name[len("manifest-"):-len(".txt")]
        entries = parse_manifest(bag, name, problems)
        # Section 3: every payload file in every payload manifest, and every listed file present, with its checksum.
        for path in payload:
            if path not in entries:
                fail(problems, "%s: not in %s" % (path, name))
        for path, expected in entries.items():
            if not path.startswith("data/"):
                fail(problems, "%s: %s lists a file outside data/" % (name, path))
            elif path not in payload:
                fail(problems, "%s: in %s but missing" % (path, name))
            elif digest(os.path.join(bag, path), algorithm) != expected:
                fail(problems, "%s: %s mismatch" % (path, algorithm))

    for name in [n for n in top if re.match(r"^tagmanifest-[a-z0-9]+\.txt$", n)]:
        algorithm = name[len("tagmanifest-"):-len(".txt")]
        entries = parse_manifest(bag, name, problems)
        for path, expected in entries.items():
            full = os.path.join(bag, path)
            if path.startswith("tagmanifest-"):
                fail(problems, "%s lists a tag manifest (%s)" % (name, path))
            elif not os.path.isfile(full):
                fail(problems, "%s: in %s but missing" % (path, name))
            elif digest(full, algorithm) != expected:
                fail(problems, "%s: %s mismatch" % (path, algorithm))
        for tag_file in top:
            if not tag_file.startswith("tagmanifest-") and tag_file not in entries:
                fail(problems, "%s: tag file not in %s" % (tag_file, name))

    info_path = os.path.join(bag, "bag-info.txt")
    if os.path.isfile(info_path):
        info = parse_tags(info_path, problems)
        values = {}
        for label, value in info:
            values.setdefault(label, []).append(value)
        for label in ("Payload-Oxum", "Bagging-Date", "Bag-Size", "Bag-Count", "Bag-Group-Identifier"):
            if len(values.get(label, [])) > 1:
                fail(problems, "bag-info.txt: %s is not repeatable" % label)
        oxum = values.get("Payload-Oxum", [None])[0]
        if oxum is not None:
            expected = "%d.%d" % (sum(payload.values()), len(payload))
            if oxum != expected:
                fail(problems, "Payload-Oxum %s, payload is %s" % (oxum, expected))
        date = values.get("Bagging-Date", [None])[0]
        if date is not None and not re.match(r"^\d{4}-\d{2}-\d{2}$", date):
            fail(problems, "Bagging-Date %r is not YYYY-MM-DD" % date)
        count = values.get("Bag-Count", [None])[0]
        if count is not None and not re.match(r"^\d+ of (\d+|\?)$", count):
            fail(problems, "Bag-Count %r is not 'N of T'" % count)
    return problems


def validate_with_library(bag):
    try:
        import bagit  # noqa: PLC0415 - optional: the reference implementation, when installed
    except ImportError:
        return None
    try:
        bagit.Bag(bag).validate()
        return []
    except bagit.BagError as error:
        return ["bagit library: %s" % error]


def main():
    if len(sys.argv) != 2:
        sys.stderr.write("usage: rfc8493_validate.py <bag-dir>\n")
        return 2
    problems = validate(sys.argv[1])
    library = validate_with_library(sys.argv[1])
    if library is not None:
        problems += library
    for problem in problems:
        sys.stderr.write(problem + "\n")
    sys.stdout.write("%s%s\n" % ("valid" if not problems else "INVALID", "" if library is None else " (and bagit library)"))
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main())
