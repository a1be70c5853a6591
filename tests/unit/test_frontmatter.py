"""Reading content files: text, BOM, line ends, size, and the front-matter fences."""

from pathlib import Path

import pytest

from chronicle.reading.frontmatter import MAX_FILE_BYTES, SourceError, read_text, split


def write(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "x.md"
    path.write_bytes(data)
    return path


def test_bom_and_crlf_are_accepted(tmp_path):
    text = read_text(write(tmp_path, b"\xef\xbb\xbf---\r\nname: A\r\n---\r\nBody\r\n"))
    assert text == "---\nname: A\n---\nBody\n"


def test_split_keeps_the_file_line_of_front_matter_and_body():
    parts = split("---\nname: A\nrole: B\n---\nFirst body line\n")
    assert parts.front == "name: A\nrole: B"
    assert parts.front_line == 2
    assert parts.body_line == 5
    assert parts.body.startswith("First body line")


def test_missing_front_matter_is_an_error():
    with pytest.raises(SourceError, match="must start with a line `---`"):
        split("name: A\n")


def test_unclosed_front_matter_names_the_missing_fence():
    with pytest.raises(SourceError, match="not closed") as info:
        split("---\nname: A\nBody\n")
    assert info.value.line == 1


def test_invalid_utf8_points_at_the_line_and_column(tmp_path):
    with pytest.raises(SourceError, match="invalid UTF-8") as info:
        read_text(write(tmp_path, b"---\nname: \xff\n---\n"))
    assert (info.value.line, info.value.col) == (2, 7)


def test_binary_files_are_refused(tmp_path):
    with pytest.raises(SourceError, match="binary"):
        read_text(write(tmp_path, b"\x89PNG\r\n\x1a\n\x00\x00"))


def test_files_over_one_mebibyte_are_refused(tmp_path):
    with pytest.raises(SourceError, match="1 MiB"):
        read_text(write(tmp_path, b"a" * (MAX_FILE_BYTES + 1)))
