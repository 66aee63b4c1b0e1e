// corestride_sweep_compare A.h5 B.h5: exit 0 if two sweep files hold the same sweep, bitwise,
// except the wall_time_s column: spec hash, /summary columns and values, /status. Used by
// mpi_sweep_test.sh (MPI against threads).
#include <cstdint>
#include <cstring>
#include <iostream>

#include "h5_file.h"

using corestride::H5Reader;

int main(int argc, char** argv) {
    if (argc != 3) {
        std::cerr << "usage: corestride_sweep_compare A.h5 B.h5\n";
        return 2;
    }
    try {
        const H5Reader a(argv[1]), b(argv[2]);
        int bad = 0;
        auto fail = [&](const std::string& what) {
            std::cerr << "differ: " << what << "\n";
            ++bad;
        };
        if (a.readStringAttribute("/", "spec_hash") != b.readStringAttribute("/", "spec_hash")) fail("spec_hash");
        const auto cols = a.readStringListAttribute("/summary", "columns");
        if (cols != b.readStringListAttribute("/summary", "columns")) fail("/summary columns");
        if (a.readStrings("/status") != b.readStrings("/status")) fail("/status");
        const corestride::H5Matrix ma = a.readMatrix("/summary"), mb = b.readMatrix("/summary");
        if (ma.rows != mb.rows || ma.cols != mb.cols || ma.cols != cols.size()) {
            fail("/summary shape");
        } else {
            for (std::size_t r = 0; r < ma.rows; ++r)
                for (std::size_t c = 0; c < ma.cols; ++c) {
                    if (cols[c] == "wall_time_s") continue;
                    const double x = ma.at(r, c), y = mb.at(r, c);
                    if (std::memcmp(&x, &y, sizeof x) != 0) fail("/summary row " + std::to_string(r) + " " + cols[c]);
                }
        }
        if (bad) return 1;
        std::cout << "same sweep: " << ma.rows << " points x " << ma.cols << " columns (wall time excluded)\n";
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "corestride_sweep_compare: " << e.what() << "\n";
        return 2;
    }
}
