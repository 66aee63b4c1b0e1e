// Reading OpenSim motion and storage files (.mot, .sto): user-supplied kinematics and ground
// reaction forces, as a table of named columns sampled at strictly increasing times.
//
// Two header styles are accepted, and any mix of them:
//   OpenSim 4:  an optional first line with the table's name, key=value lines (version=1,
//               nRows=N, nColumns=N, inDegrees=yes|no; other keys such as DataType are
//               ignored), then `endheader`.
//   SIMM (old): `name X`, `datacolumns N`, `datarows N`, `otherdata N`, `range a b`, then
//               `endheader`.
// Blank lines, lines starting with '#' and free-text description lines in the header are
// ignored. After `endheader` comes one line of column labels, the first of which must be
// `time`, separated by tabs or spaces (so a label cannot contain a space), then one line of
// numbers per row. Column and row counts declared in the header (nColumns/datacolumns count
// the time column) must match the data. Windows line endings are tolerated.
#pragma once

#include <string>
#include <vector>

namespace corestride {

// Unit of the angle columns of a motion file. The file does not say which columns are
// angles; the caller, which knows the model's coordinates, converts those (and only those)
// to radians when it maps columns to coordinates.
enum class AngleUnit { Degrees, Radians };

struct MotionTable {
    std::string file;                          // path or name used in messages
    std::vector<std::string> labels;           // column labels after "time", in file order
    std::vector<double> time;                  // s, strictly increasing, at least one row
    std::vector<std::vector<double>> columns;  // columns[j][row], j indexes labels; as in the file
    // From `inDegrees=yes|no`; Degrees for a SIMM header without inDegrees (OpenSim's
    // convention for such files). A header with neither is rejected as ambiguous.
    AngleUnit angle_unit = AngleUnit::Radians;

    // Index into labels/columns of the column named `label`, or -1 if there is none.
    int column(const std::string& label) const;

    // Column j linearly interpolated at time t (s). Throws UserError naming the file and t
    // if t lies outside [time.front(), time.back()]. j must be a valid column index.
    double interpolate(int j, double t) const;
};

// Reads the motion file at `path`. Throws UserError naming the file if it cannot be opened,
// and "FILE:LINE: field 'KEY': ..." naming the header key or column label for: a missing
// `endheader`, a missing or misplaced `time` column, duplicate or missing labels, a
// malformed header value, a row with the wrong number of fields, a field that is not a
// finite number (the offending text is quoted), a time that does not increase, no data
// rows, or a row or column count that differs from the header's.
MotionTable readMotionFile(const std::string& path);

// The same for text already in memory; `file` is only used in messages.
MotionTable parseMotionText(const std::string& text, const std::string& file);

// Keeps only the rows needed to cover [t0, t1] (s): from the last sample at or before t0 to
// the first sample at or after t1, so that interpolate() works anywhere in the window.
// Throws UserError naming the file, the window and the data's time range if t0 >= t1 or
// the window is not inside [time.front(), time.back()].
void selectTimeWindow(MotionTable& table, double t0, double t1);

// Zero-lag low-pass filter of the named columns (all if `columns` is empty): a second-order
// Butterworth run forward and backward (fourth order, -6 dB at the cut-off; Winter 2009,
// Biomechanics and Motor Control of Human Movement, 4th ed., ch. 3), with the cut-off
// corrected for the double pass. The ends are padded by reflection about the end values.
// Throws UserError naming the file if the samples are not equally spaced (to 1%) or the
// cut-off is not below the Nyquist frequency.
void lowPassFilter(MotionTable& table, double cutoff_hz, const std::vector<int>& columns = {});

}  // namespace corestride
