// A demo studio for trying the kiosk: ~40 clients with names from many alphabets,
// passes in every state, some history, a week of classes and a focus for each day,
// all relative to `clock.now()` so the demo works on any day at any hour.
#pragma once

#include "core/clock.h"
#include "store/kiosk_store.h"

namespace studio {

struct DemoSummary {
    int clients = 0;
    int classes = 0;
    int past_visits = 0;
};

DemoSummary load_demo_data(KioskStore& store, const Clock& clock);

}  // namespace studio
