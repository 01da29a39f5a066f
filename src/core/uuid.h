// Random (version 4) UUIDs for check-ins and clients created on the kiosk.
#pragma once

#include <string>

namespace studio {

std::string new_uuid();                  // "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx", lowercase
bool is_uuid(std::string_view s);

}  // namespace studio
