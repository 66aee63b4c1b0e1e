// Two tiers of errors (docs/architecture.md): a UserError is a problem with the user's input
// (a file, a key, a value) and carries a message that names where it is; the CLI prints it
// and exits with kExitUserError. Bugs are assertions, never UserErrors.
#pragma once

#include <stdexcept>
#include <string>

namespace corestride {

// Exit code of the program for any error in the user's input (documented in README).
constexpr int kExitUserError = 2;

class UserError : public std::runtime_error {
public:
    explicit UserError(const std::string& message) : std::runtime_error(message) {}
};

// "FILE:LINE: field 'KEY': MESSAGE" — the one shape of every file error.
UserError fileError(const std::string& file, int line, const std::string& key,
                    const std::string& message);

}  // namespace corestride
