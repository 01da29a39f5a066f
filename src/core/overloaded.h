// The visitor helper for std::visit over the flow's event and effect variants:
// std::visit(overloaded{[](const A&) {...}, [](const B&) {...}}, v).
#pragma once

namespace studio {

template <class... Ts>
struct overloaded : Ts... {
    using Ts::operator()...;
};
template <class... Ts>
overloaded(Ts...) -> overloaded<Ts...>;

}  // namespace studio
