#include "CVision.h"
#include <opencv2/core.hpp>
extern "C" const char *cv_version(void) { return CV_VERSION; }
