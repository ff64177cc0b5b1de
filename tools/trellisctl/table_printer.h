// Aligned text tables for humans.
#ifndef TRELLIS_TOOLS_TRELLISCTL_TABLE_PRINTER_H_
#define TRELLIS_TOOLS_TRELLISCTL_TABLE_PRINTER_H_

#include <string>
#include <vector>

namespace trellis::ctl {

class TablePrinter {
 public:
  explicit TablePrinter(std::vector<std::string> headers)
      : headers_(std::move(headers)) {}
  void AddRow(std::vector<std::string> cells) {
    rows_.push_back(std::move(cells));
  }
  std::string Render() const;

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace trellis::ctl

#endif  // TRELLIS_TOOLS_TRELLISCTL_TABLE_PRINTER_H_
