// Structural checks of JPEG (markers up to EOI) and PNG (chunks up to IEND) files.
#include "integrity.hpp"
#include "guard.hpp"
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

namespace {

const char *const kJpegTruncated = "damaged JPEG: the data end before its end-of-image marker (truncated file?)";

/// Index just past the entropy-coded data that starts at `i`: the first 0xFF that begins a real
/// marker (not a stuffed 0xFF00, a restart marker or fill), or `n` when the data run out.
size_t skip_entropy_coded(const uint8_t *d, size_t i, size_t n) {
    while (i < n) {
        const void *ff = std::memchr(d + i, 0xFF, n - i);
        if (ff == nullptr) return n;
        i = static_cast<size_t>(static_cast<const uint8_t *>(ff) - d);
        if (i + 1 >= n) return n;
        uint8_t next = d[i + 1];
        if (next == 0x00 || (next >= 0xD0 && next <= 0xD7)) i += 2;  // stuffed byte, restart marker
        else if (next == 0xFF) i += 1;                                 // fill before a marker
        else return i;
    }
    return n;
}

/// Walks marker segments from SOI to EOI; a thumbnail inside APP1 is skipped by its length, and
/// bytes after EOI (camera trailers) are allowed, as libjpeg allows them.
std::string jpeg_damage(const uint8_t *d, size_t n) {
    size_t i = 2;
    for (;;) {
        if (i >= n) return kJpegTruncated;
        if (d[i] != 0xFF) return "damaged JPEG: stray data at byte " + std::to_string(i) + " where a marker should be";
        while (i < n && d[i] == 0xFF) ++i;
        if (i >= n) return kJpegTruncated;
        uint8_t marker = d[i++];
        if (marker == 0xD9) return "";                                               // EOI
        if (marker == 0x01 || marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7)) continue;  // no length
        if (i + 2 > n) return kJpegTruncated;
        size_t length = (size_t(d[i]) << 8) | d[i + 1];
        if (length < 2) return "damaged JPEG: a segment at byte " + std::to_string(i) + " has length " + std::to_string(length);
        if (i + length > n) return kJpegTruncated;
        i += length;
        if (marker == 0xDA) i = skip_entropy_coded(d, i, n);  // SOS: scan data up to the next marker
    }
}

/// Walks chunks (length, type, data, CRC) until IEND.
std::string png_damage(const uint8_t *d, size_t n) {
    size_t i = 8;
    for (;;) {
        if (i + 12 > n) return "damaged PNG: the data end before its IEND chunk (truncated file?)";
        size_t length = (size_t(d[i]) << 24) | (size_t(d[i + 1]) << 16) | (size_t(d[i + 2]) << 8) | d[i + 3];
        if (std::memcmp(d + i + 4, "IEND", 4) == 0) return "";
        if (length > n - i - 12) return "damaged PNG: the data end inside a chunk (truncated file?)";
        i += 12 + length;
    }
}

}  // namespace

namespace cvision {

std::string encoded_damage(const uint8_t *bytes, size_t length) {
    static const uint8_t png_signature[8] = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
    if (length >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF) return jpeg_damage(bytes, length);
    if (length >= 8 && std::memcmp(bytes, png_signature, 8) == 0) return png_damage(bytes, length);
    return "";
}

std::string read_file(const char *path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        const char *why = errno == ENOENT ? "no such file" : std::strerror(errno);
        throw Failure{CV_ERR_IO, std::string(path) + ": cannot open file (" + why + ")"};
    }
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) throw Failure{CV_ERR_IO, std::string(path) + ": cannot read file"};
    return bytes;
}

}  // namespace cvision
