// Number text: the one formatter every view and output uses, and the one text layout.
#include "core/number_text.h"
#include "support/catch.h"

using namespace optiviz;
