// Harder cases for bench/predict/same-output.sh than the bench photos: each input photo in gray as
// is, turned by -25, -15, 12 and 20 degrees (so predict's turned-copy search runs), and its centre
// square at 160, 90 and 48 px (so small photos are upsampled before detection).
// usage: make_variants OUT PHOTO...     (OUT must exist; 8 files per photo)
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <algorithm>
#include <cstdio>
#include <string>

int main(int argc, char **argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: %s OUT PHOTO...\n", argv[0]);
        return 2;
    }
    std::string out = argv[1];
    for (int a = 2; a < argc; ++a) {
        cv::Mat gray = cv::imread(argv[a], cv::IMREAD_GRAYSCALE);
        if (gray.empty()) {
            std::fprintf(stderr, "%s: cannot read image\n", argv[a]);
            return 1;
        }
        std::string stem = argv[a];
        stem = stem.substr(stem.rfind('/') + 1);
        stem = stem.substr(0, stem.rfind('.'));
        cv::imwrite(out + "/orig-" + stem + ".png", gray);
        for (double angle : {-25.0, -15.0, 12.0, 20.0}) {
            cv::Mat turned, m = cv::getRotationMatrix2D(cv::Point2f(gray.cols / 2.f, gray.rows / 2.f), angle, 1.0);
            cv::warpAffine(gray, turned, m, gray.size(), cv::INTER_LINEAR, cv::BORDER_REFLECT);
            cv::imwrite(out + "/rot" + std::to_string((int)angle) + "-" + stem + ".jpg", turned);
        }
        int side = std::min(gray.cols, gray.rows);
        cv::Mat square = gray(cv::Rect((gray.cols - side) / 2, (gray.rows - side) / 2, side, side));
        for (int small : {160, 90, 48}) {
            cv::Mat resized;
            cv::resize(square, resized, cv::Size(small, small), 0, 0, cv::INTER_AREA);
            cv::imwrite(out + "/small" + std::to_string(small) + "-" + stem + ".png", resized);
        }
    }
    return 0;
}
