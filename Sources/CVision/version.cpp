#include "CVision.h"
#include "guard.hpp"

extern "C" const char *cv_version(void) { return CV_VERSION; }

extern "C" int cv_set_num_threads(int n) {
    try {
        int previous = cv::getNumThreads();
        cv::setNumThreads(n < 0 ? 0 : n);
        return previous;
    } catch (...) {
        return -1;
    }
}

extern "C" int cv_get_num_threads(void) {
    try {
        return cv::getNumThreads();
    } catch (...) {
        return -1;
    }
}
