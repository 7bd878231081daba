#include "render/png_writer.h"

#include <stb_image_write.h>

#include <array>
#include <stdexcept>

#include "core/io/atomic_file.h"

namespace optiviz::render {

namespace {

void append_bytes(void* context, void* data, int size) {
    static_cast<std::string*>(context)->append(static_cast<const char*>(data), static_cast<std::size_t>(size));
}

// The CRC-32 every PNG chunk ends with (ISO 3309, reflected polynomial 0xEDB88320), over the
// chunk's type and data.
std::uint32_t chunk_crc(const std::string& type_and_data) {
    static const std::array<std::uint32_t, 256> table = [] {
        std::array<std::uint32_t, 256> t{};
        for (std::uint32_t n = 0; n < 256; ++n) {
            std::uint32_t c = n;
            for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[n] = c;
        }
        return t;
    }();
    std::uint32_t crc = 0xFFFFFFFFu;
    for (unsigned char byte : type_and_data) crc = table[(crc ^ byte) & 0xFF] ^ (crc >> 8);
    return crc ^ 0xFFFFFFFFu;
}

void append_be32(std::string& out, std::uint32_t value) {
    for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((value >> shift) & 0xFF);
}

bool is_ascii(const std::string& text) {
    for (unsigned char c : text)
        if (c >= 0x80 || c == 0) return false;
    return true;
}

std::string text_chunk(const PngText& entry) {
    if (entry.keyword.empty() || entry.keyword.size() > 79 || !is_ascii(entry.keyword) ||
        entry.keyword.find_first_of(std::string("\0\n\r\t", 4)) != std::string::npos)
        throw std::invalid_argument("a PNG text keyword must be 1 to 79 printable characters, got '" + entry.keyword + "'");
    std::string body;
    if (is_ascii(entry.text)) {
        body = "tEXt" + entry.keyword + '\0' + entry.text;
    } else {
        // iTXt: keyword, 0, uncompressed (0, 0), no language tag, no translated keyword, UTF-8 text.
        body = "iTXt" + entry.keyword + std::string(5, '\0') + entry.text;
    }
    std::string chunk;
    append_be32(chunk, static_cast<std::uint32_t>(body.size() - 4));
    chunk += body;
    append_be32(chunk, chunk_crc(body));
    return chunk;
}

}  // namespace

std::string encode_png(int width, int height, const std::vector<std::uint8_t>& rgba, const std::vector<PngText>& text) {
    if (width <= 0 || height <= 0 ||
        rgba.size() != static_cast<std::size_t>(width) * static_cast<std::size_t>(height) * 4)
        throw std::runtime_error("the pixel buffer does not match the picture size");
    std::string chunks;
    for (const PngText& entry : text) chunks += text_chunk(entry);
    std::string bytes;
    stbi_flip_vertically_on_write(0);
    if (!stbi_write_png_to_func(append_bytes, &bytes, width, height, 4, rgba.data(), width * 4) || bytes.empty())
        throw std::runtime_error("the PNG encoder failed");
    // The signature (8 bytes) and IHDR (4 length + 4 type + 13 data + 4 CRC) come first; text
    // chunks may follow anywhere before IEND, and readers look for them early.
    constexpr std::size_t kAfterHeader = 8 + 25;
    if (bytes.size() < kAfterHeader || bytes.compare(12, 4, "IHDR") != 0) throw std::runtime_error("the PNG encoder failed");
    bytes.insert(kAfterHeader, chunks);
    return bytes;
}

void write_png(const std::string& path, int width, int height, const std::vector<std::uint8_t>& rgba,
               const std::vector<PngText>& text) {
    std::string bytes;
    try {
        bytes = encode_png(width, height, rgba, text);
    } catch (const std::runtime_error& e) {
        throw std::runtime_error(path + ": " + e.what());
    }
    write_file_atomically(path, bytes);
}

}  // namespace optiviz::render
