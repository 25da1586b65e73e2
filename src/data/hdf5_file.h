#pragma once
// Thin RAII helpers over the HDF5 C API, private to the data module. They
// throw InputError with the file and dataset path in the message.
#include <hdf5.h>

#include <cstdint>
#include <string>
#include <vector>

namespace daf::hdf5 {

// Owns one HDF5 identifier and closes it with the matching H5?close.
class Handle {
 public:
  using Closer = herr_t (*)(hid_t);
  Handle() = default;
  Handle(hid_t id, Closer closer) : id_(id), closer_(closer) {}
  ~Handle() { reset(); }
  Handle(Handle&& other) noexcept : id_(other.id_), closer_(other.closer_) { other.id_ = -1; }
  Handle& operator=(Handle&& other) noexcept;
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;

  hid_t id() const { return id_; }
  bool valid() const { return id_ >= 0; }
  void reset();
  hid_t release() {  // gives up ownership without closing
    const hid_t id = id_;
    id_ = -1;
    return id;
  }

 private:
  hid_t id_ = -1;
  Closer closer_ = nullptr;
};

// HDF5 prints its own error stack to stderr by default; daf reports errors
// itself. Also turns off HDF5's exit handler (see hdf5_file.cpp).
void silence_library_errors();

// The OS reason (e.g. "No space left on device") for the last failed HDF5 call.
std::string last_os_error(int saved_errno);

// Numeric array read from a dataset, converted to the requested type.
template <class T>
struct Array {
  std::vector<int64_t> shape;
  std::vector<T> values;
};

class File {
 public:
  // Opens an existing file for reading; InputError if it is missing or not HDF5.
  static File open_read(const std::string& path);
  // Creates (truncates) a file for writing.
  static File create(const std::string& path, const std::string& display_path);

  const std::string& path() const { return path_; }
  hid_t id() const { return handle_.id(); }
  // Flushes and closes; a file being written fails here (RuntimeFailure with
  // the OS reason) when the disk is full, so the caller never commits it.
  void close();

  bool has(const std::string& object) const;  // e.g. "/train/labels"
  bool is_group(const std::string& object) const;
  std::vector<std::string> children(const std::string& group) const;
  // The dataset's element class: true for strings, false for numbers.
  bool is_string_dataset(const std::string& dataset) const;

  // Root attribute as an integer; false when absent.
  bool read_int_attribute(const std::string& object, const std::string& name, int64_t& value) const;
  std::vector<std::pair<std::string, std::string>> read_string_attributes(const std::string& object) const;

  std::vector<int64_t> shape(const std::string& dataset) const;
  std::vector<std::string> read_strings(const std::string& dataset) const;
  Array<float> read_floats(const std::string& dataset) const;
  Array<double> read_doubles(const std::string& dataset) const;
  Array<uint8_t> read_bytes(const std::string& dataset) const;

  void create_group(const std::string& group);
  void write_int_attribute(const std::string& object, const std::string& name, int64_t value);
  void write_string_attribute(const std::string& object, const std::string& name, const std::string& value);
  void write_strings(const std::string& dataset, const std::vector<std::string>& values);
  void write_floats(const std::string& dataset, const std::vector<int64_t>& shape, const float* values);
  void write_bytes(const std::string& dataset, const std::vector<uint8_t>& values);
  void write_doubles(const std::string& dataset, const std::vector<int64_t>& shape, const double* values);
  // Fixed-length byte strings [N, 1], as the CMU-MultimodalSDK stores words.
  void write_word_column(const std::string& dataset, const std::vector<std::string>& words);

 private:
  File(Handle handle, std::string path, bool writable)
      : handle_(std::move(handle)), path_(std::move(path)), writable_(writable) {}
  Handle open_dataset(const std::string& dataset) const;
  void write_numeric(const std::string& dataset, const std::vector<int64_t>& shape, hid_t file_type,
                     hid_t memory_type, const void* values);
  [[noreturn]] void fail(const std::string& object, const std::string& what) const;
  [[noreturn]] void fail_write(const std::string& what) const;

  Handle handle_;
  std::string path_;
  bool writable_ = false;
};

}  // namespace daf::hdf5
