// The browser build's WorkerPool (worker_pool_web.cpp) has no threads: the page's one thread does
// all the work. What follows the user's hand (Priority::Interactive: the runs while a slider moves,
// the surface) runs at once, inside the frame that asks, as the desktop's frame waits for it too;
// everything else (clouds, basin and sweep maps, tuning) is queued and run between frames by
// run_queued_work, so the frame that asked is drawn first ("computing...") and input is handled
// between tasks. A single task still runs whole: a long map keeps the page busy for its length.
#pragma once

#include <chrono>

namespace optiviz {

// Runs queued tasks, highest priority first and oldest first within one, until none is left or
// `budget` has passed (at least one runs if any is queued). Returns true if any ran.
bool run_queued_work(std::chrono::steady_clock::duration budget);

}  // namespace optiviz
