// Sample grids: crops pasted on a canvas, captions drawn with putText, PNG encoded with imencode.
#include "CVisionGrid.h"
#include "guard.hpp"
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

using cvision::guarded;
using cvision::require;

namespace {

constexpr int font = cv::FONT_HERSHEY_SIMPLEX;

/// A font scale whose capital letters plus descenders fill about 70 % of a line.
double font_scale(int line_height) { return line_height * 0.028; }

int text_width(const std::string &s, double scale) {
    int baseline = 0;
    return cv::getTextSize(s, font, scale, 1, &baseline).width;
}

/// Greedy word wrap of each '\n'-separated paragraph to `width` pixels; a word longer than a line
/// is cut by characters. At most `max_lines` lines; a cut text ends with "...".
std::vector<std::string> wrap(const std::string &text, int width, double scale, int max_lines) {
    std::vector<std::string> lines;
    std::stringstream paragraphs(text);
    bool cut = false;
    for (std::string paragraph; std::getline(paragraphs, paragraph);) {
        std::stringstream words(paragraph);
        std::string line;
        for (std::string word; words >> word;) {
            std::string candidate = line.empty() ? word : line + " " + word;
            if (text_width(candidate, scale) <= width) { line = candidate; continue; }
            if (!line.empty()) lines.push_back(line);
            line = word;
            while (line.size() > 1 && text_width(line, scale) > width) {
                size_t keep = line.size() - 1;
                while (keep > 1 && text_width(line.substr(0, keep), scale) > width) --keep;
                lines.push_back(line.substr(0, keep));
                line = line.substr(keep);
            }
        }
        lines.push_back(line);
    }
    if ((int)lines.size() > max_lines) {
        lines.resize(max_lines);
        cut = true;
    }
    if (cut && !lines.empty()) {
        std::string &last = lines.back();
        while (!last.empty() && text_width(last + "...", scale) > width) last.pop_back();
        last += "...";
    }
    return lines;
}

void draw_text(cv::Mat &canvas, const cv_grid_text &t) {
    require(t.text != nullptr, "cv_grid_png: text without a string");
    require(t.line_height > 0 && t.max_lines > 0 && t.width > 0, "cv_grid_png: text needs a width, a line height and lines");
    require(t.x >= 0 && t.y >= 0 && t.x + t.width <= canvas.cols && t.y + t.line_height * t.max_lines <= canvas.rows,
            "cv_grid_png: a text box lies outside the canvas");
    double scale = font_scale(t.line_height);
    int baseline = 0;
    int ascent = cv::getTextSize("Ag", font, scale, 1, &baseline).height;
    auto lines = wrap(t.text, t.width, scale, t.max_lines);
    for (size_t i = 0; i < lines.size(); ++i) {
        cv::Point origin(t.x, t.y + (int)i * t.line_height + ascent + (t.line_height - ascent - baseline) / 2);
        cv::putText(canvas, lines[i], origin, font, scale, cv::Scalar(0), 1, cv::LINE_AA);
    }
}

void paste(cv::Mat &canvas, const cv_grid_tile &tile) {
    require(tile.pixels != nullptr && tile.side > 0 && tile.scale > 0, "cv_grid_png: a tile has no pixels");
    int side = tile.side * tile.scale;
    require(tile.x >= 0 && tile.y >= 0 && tile.x + side <= canvas.cols && tile.y + side <= canvas.rows,
            "cv_grid_png: a tile lies outside the canvas");
    cv::Mat crop(tile.side, tile.side, CV_8U, const_cast<uint8_t *>(tile.pixels));
    cv::Mat target = canvas(cv::Rect(tile.x, tile.y, side, side));
    cv::resize(crop, target, target.size(), 0, 0, cv::INTER_NEAREST);
}

}  // namespace

extern "C" int cv_grid_png(int width, int height, const cv_grid_tile *tiles, int tile_count, const cv_grid_text *texts,
                           int text_count, uint8_t **png, size_t *png_length, char *err, size_t err_len) {
    return guarded(err, err_len, [&] {
        require(png != nullptr && png_length != nullptr, "cv_grid_png: null output");
        *png = nullptr;
        *png_length = 0;
        require(width > 0 && height > 0 && (long)width * height <= 400L * 1000 * 1000,
                "cv_grid_png: canvas " + std::to_string(width) + "x" + std::to_string(height) + " is empty or too large");
        require(tile_count >= 0 && (tile_count == 0 || tiles != nullptr), "cv_grid_png: bad tile list");
        require(text_count >= 0 && (text_count == 0 || texts != nullptr), "cv_grid_png: bad text list");
        cv::Mat canvas(height, width, CV_8U, cv::Scalar(255));
        for (int i = 0; i < tile_count; ++i) paste(canvas, tiles[i]);
        for (int i = 0; i < text_count; ++i) draw_text(canvas, texts[i]);
        std::vector<uchar> encoded;
        if (!cv::imencode(".png", canvas, encoded)) throw cvision::Failure{CV_ERR_OPENCV, "PNG encoding failed"};
        auto *bytes = static_cast<uint8_t *>(std::malloc(encoded.size()));
        if (bytes == nullptr) throw std::bad_alloc();
        std::memcpy(bytes, encoded.data(), encoded.size());
        *png = bytes;
        *png_length = encoded.size();
        return CV_OK;
    });
}

extern "C" void cv_bytes_free(uint8_t *bytes) { std::free(bytes); }
