// Aligned text tables for humans. Cells are untrusted text (hostnames, OS
// versions, reasons): each is made terminal-safe here, so a control
// character can neither reach the terminal nor break the alignment.
#ifndef TRELLIS_TOOLS_TRELLISCTL_TABLE_PRINTER_H_
#define TRELLIS_TOOLS_TRELLISCTL_TABLE_PRINTER_H_

#include <string>
#include <vector>

namespace trellis::ctl {

class TablePrinter {
 public:
  explicit TablePrinter(std::vector<std::string> headers)
      : headers_(std::move(headers)) {}
  void AddRow(const std::vector<std::string>& cells);
  std::string Render() const;

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace trellis::ctl

#endif  // TRELLIS_TOOLS_TRELLISCTL_TABLE_PRINTER_H_
