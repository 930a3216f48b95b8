// Internal: is an encoded JPEG or PNG complete? OpenCV 4.6 decodes a truncated JPEG as far as the
// data go (libjpeg only prints "Premature end of JPEG file" to stderr, without a file name), so
// damage is found here, from the file's structure, before decoding.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

namespace cvision {

/// Empty when `bytes` is a structurally complete JPEG or PNG (or another format, not checked);
/// otherwise why it is damaged, e.g. "damaged JPEG: the data end before its end-of-image marker".
std::string encoded_damage(const uint8_t *bytes, size_t length);

/// Reads a whole file; throws cvision::Failure (CV_ERR_IO) naming `path` when it cannot.
std::string read_file(const char *path);

}  // namespace cvision
