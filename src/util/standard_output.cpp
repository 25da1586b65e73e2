#include "daf/util/standard_output.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <streambuf>
#include <vector>

#include "daf/util/error.h"

namespace daf {
namespace {

// A streambuf over a file descriptor that keeps the errno of its first failed write.
// After a failure it drops what it is given: the output is already incomplete.
class CheckedOutputBuffer : public std::streambuf {
 public:
  explicit CheckedOutputBuffer(int fd) : fd_(fd), buffer_(1 << 16) {
    setp(buffer_.data(), buffer_.data() + buffer_.size());
  }
  int error() const { return error_; }

 protected:
  int_type overflow(int_type c) override {
    if (drain() != 0) return traits_type::eof();
    if (!traits_type::eq_int_type(c, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(c);
      pbump(1);
    }
    return traits_type::not_eof(c);
  }
  int sync() override { return drain(); }

 private:
  int drain() {
    const char* data = pbase();
    size_t left = static_cast<size_t>(pptr() - pbase());
    while (left > 0 && error_ == 0) {
      const ssize_t n = ::write(fd_, data, left);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        error_ = n < 0 ? errno : EIO;
        break;
      }
      data += n;
      left -= static_cast<size_t>(n);
    }
    setp(buffer_.data(), buffer_.data() + buffer_.size());
    return error_ == 0 ? 0 : -1;
  }

  int fd_;
  std::vector<char> buffer_;
  int error_ = 0;
};

// Never destroyed: std::cout may still be flushed while static objects go away.
CheckedOutputBuffer* checked_buffer = nullptr;

}  // namespace

void use_checked_standard_output() {
  ::signal(SIGPIPE, SIG_IGN);
  if (checked_buffer != nullptr) return;
  std::cout.flush();
  checked_buffer = new CheckedOutputBuffer(STDOUT_FILENO);
  std::cout.rdbuf(checked_buffer);
}

void flush_standard_output() {
  std::cout.flush();
  const int error = checked_buffer != nullptr ? checked_buffer->error() : (std::cout ? 0 : EIO);
  if (error != 0) throw RuntimeFailure(std::string("standard output: ") + std::strerror(error));
}

}  // namespace daf
