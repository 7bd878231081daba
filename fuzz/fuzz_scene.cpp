// libFuzzer harness: scene files. A scene that loads must save and load back to the same JSON.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "core/scene/scene.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    optiviz::Scene scene;
    try {
        scene = optiviz::scene_from_json(text, "fuzz.json");
    } catch (const std::invalid_argument& e) {
        optiviz::fuzz::check_message(e);
        return 0;
    }
    // Saving reads a data file by path: keep the round trip to scenes that name none.
    if (scene.data.kind == optiviz::DatasetChoice::Kind::File) return 0;
    const std::string saved = optiviz::scene_to_json(scene);
    const optiviz::Scene again = optiviz::scene_from_json(saved, "saved.json");
    if (optiviz::scene_to_json(again) != saved) std::abort();
    return 0;
}
