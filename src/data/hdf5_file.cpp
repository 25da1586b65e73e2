#include "hdf5_file.h"

#include <cerrno>
#include <cstring>

#include <algorithm>
#include <mutex>

#include "daf/util/error.h"

namespace daf::hdf5 {

Handle& Handle::operator=(Handle&& other) noexcept {
  if (this != &other) {
    reset();
    id_ = other.id_;
    closer_ = other.closer_;
    other.id_ = -1;
  }
  return *this;
}

void Handle::reset() {
  if (id_ >= 0 && closer_) closer_(id_);
  id_ = -1;
}

void silence_library_errors() {
  static std::once_flag once;
  std::call_once(once, [] {
    // HDF5's exit handler closes files still open; for a file whose close
    // failed (disk full) it crashes in H5F__close_cb (HDF5 1.10). daf closes
    // every file it writes itself, so the handler is not needed.
    H5dont_atexit();
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  });
}

namespace {

// The operating system's reason for the last failed HDF5 call: the sec2
// driver records it as "error message = '...'" on the error stack; errno is
// the fallback.
herr_t find_os_reason(unsigned, const H5E_error2_t* error, void* out) {
  auto* reason = static_cast<std::string*>(out);
  if (!reason->empty() || !error->desc) return 0;
  const std::string desc = error->desc;
  const auto at = desc.find("error message = '");
  if (at != std::string::npos) {
    const auto start = at + 17, end = desc.find('\'', start);
    *reason = desc.substr(start, end == std::string::npos ? std::string::npos : end - start);
  }
  return 0;
}

}  // namespace

std::string last_os_error(int saved_errno) {
  std::string reason;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, find_os_reason, &reason);
  if (reason.empty() && saved_errno != 0) reason = std::strerror(saved_errno);
  return reason.empty() ? "no reason given by the HDF5 library" : reason;
}

void File::fail(const std::string& object, const std::string& what) const {
  throw InputError(path_ + ": " + object + ": " + what);
}

[[noreturn]] void File::fail_write(const std::string& what) const {
  const int saved = errno;
  throw RuntimeFailure(path_ + ": cannot write " + what + ": " + last_os_error(saved));
}

void File::close() {
  if (!handle_.valid()) return;
  errno = 0;
  const bool written = writable_ ? H5Fflush(handle_.id(), H5F_SCOPE_GLOBAL) >= 0 : true;
  const int flush_errno = errno;
  const herr_t closed = H5Fclose(handle_.release());
  if (!written || closed < 0) {
    const int saved = flush_errno ? flush_errno : errno;
    throw RuntimeFailure(path_ + ": cannot write the file: " + last_os_error(saved));
  }
}

File File::open_read(const std::string& path) {
  silence_library_errors();
  const htri_t is_hdf5 = H5Fis_hdf5(path.c_str());
  if (is_hdf5 < 0) throw InputError(path + ": cannot open file (missing or unreadable)");
  if (is_hdf5 == 0) throw InputError(path + ": not an HDF5 file");
  errno = 0;
  const hid_t id = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (id < 0) throw InputError(path + ": cannot open HDF5 file: " + last_os_error(errno));
  return File(Handle(id, H5Fclose), path, false);
}

File File::create(const std::string& path, const std::string& display_path) {
  silence_library_errors();
  errno = 0;
  const hid_t id = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  if (id < 0) throw RuntimeFailure(display_path + ": cannot create HDF5 file: " + last_os_error(errno));
  return File(Handle(id, H5Fclose), display_path, true);
}

bool File::has(const std::string& object) const {
  // H5Lexists needs every parent to exist, so walk the path.
  std::string prefix;
  size_t start = 1;
  while (start <= object.size()) {
    size_t end = object.find('/', start);
    if (end == std::string::npos) end = object.size();
    prefix = object.substr(0, end);
    if (H5Lexists(id(), prefix.c_str(), H5P_DEFAULT) <= 0) return false;
    start = end + 1;
  }
  return true;
}

bool File::is_group(const std::string& object) const {
  if (!has(object)) return false;
  // H5Iget_type on an opened object, not H5Oget_info: that call's signature
  // changed in HDF5 1.12 (Debian 13 has 1.14, Debian 12 1.10).
  Handle obj(H5Oopen(id(), object.c_str(), H5P_DEFAULT), H5Oclose);
  return obj.valid() && H5Iget_type(obj.id()) == H5I_GROUP;
}

bool File::is_string_dataset(const std::string& dataset) const {
  Handle d = open_dataset(dataset);
  Handle type(H5Dget_type(d.id()), H5Tclose);
  return H5Tget_class(type.id()) == H5T_STRING;
}

std::vector<std::string> File::children(const std::string& group) const {
  std::vector<std::string> names;
  Handle g(H5Gopen2(id(), group.c_str(), H5P_DEFAULT), H5Gclose);
  if (!g.valid()) fail(group, "cannot open group");
  H5G_info_t info;
  if (H5Gget_info(g.id(), &info) < 0) fail(group, "cannot list group");
  for (hsize_t i = 0; i < info.nlinks; ++i) {
    const ssize_t size = H5Lget_name_by_idx(g.id(), ".", H5_INDEX_NAME, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT);
    std::string name(static_cast<size_t>(size), '\0');
    H5Lget_name_by_idx(g.id(), ".", H5_INDEX_NAME, H5_ITER_INC, i, name.data(), name.size() + 1, H5P_DEFAULT);
    names.push_back(name);
  }
  return names;
}

bool File::read_int_attribute(const std::string& object, const std::string& name, int64_t& value) const {
  if (H5Aexists_by_name(id(), object.c_str(), name.c_str(), H5P_DEFAULT) <= 0) return false;
  Handle attr(H5Aopen_by_name(id(), object.c_str(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
  Handle type(H5Aget_type(attr.id()), H5Tclose);
  if (H5Tget_class(type.id()) != H5T_INTEGER) fail(object, "attribute '" + name + "' is not an integer");
  long long v = 0;
  if (H5Aread(attr.id(), H5T_NATIVE_LLONG, &v) < 0) fail(object, "cannot read attribute '" + name + "'");
  value = v;
  return true;
}

std::vector<std::pair<std::string, std::string>> File::read_string_attributes(const std::string& object) const {
  std::vector<std::pair<std::string, std::string>> out;
  Handle obj(H5Oopen(id(), object.c_str(), H5P_DEFAULT), H5Oclose);
  if (!obj.valid()) fail(object, "cannot open object");
  // Names by H5Aiterate2, not a count from H5Oget_info: that call's signature
  // changed in HDF5 1.12 (Debian 12 has 1.10, Debian 13 1.14); H5Aiterate2
  // is the same from 1.8 to 1.14.
  std::vector<std::string> names;
  hsize_t position = 0;
  const auto collect = [](hid_t, const char* name, const H5A_info_t*, void* data) -> herr_t {
    static_cast<std::vector<std::string>*>(data)->emplace_back(name);
    return 0;
  };
  if (H5Aiterate2(obj.id(), H5_INDEX_NAME, H5_ITER_INC, &position, collect, &names) < 0)
    fail(object, "cannot list attributes");
  for (const std::string& name : names) {
    Handle attr(H5Aopen(obj.id(), name.c_str(), H5P_DEFAULT), H5Aclose);
    if (!attr.valid()) fail(object, "cannot open attribute '" + name + "'");
    Handle type(H5Aget_type(attr.id()), H5Tclose);
    if (H5Tget_class(type.id()) != H5T_STRING) continue;
    std::string value;
    if (H5Tis_variable_str(type.id()) > 0) {
      Handle mem(H5Tcopy(H5T_C_S1), H5Tclose);
      H5Tset_size(mem.id(), H5T_VARIABLE);
      H5Tset_cset(mem.id(), H5Tget_cset(type.id()));  // HDF5 does not convert between ASCII and UTF-8
      char* text = nullptr;
      if (H5Aread(attr.id(), mem.id(), &text) >= 0 && text) {
        value = text;
        H5free_memory(text);
      }
    } else {
      std::string buffer(H5Tget_size(type.id()), '\0');
      H5Aread(attr.id(), type.id(), buffer.data());
      value = buffer.c_str();
    }
    out.emplace_back(name, value);
  }
  return out;
}

Handle File::open_dataset(const std::string& dataset) const {
  if (!has(dataset)) fail(dataset, "dataset is missing");
  Handle d(H5Dopen2(id(), dataset.c_str(), H5P_DEFAULT), H5Dclose);
  if (!d.valid()) fail(dataset, "not a dataset");
  return d;
}

std::vector<int64_t> File::shape(const std::string& dataset) const {
  Handle d = open_dataset(dataset);
  Handle space(H5Dget_space(d.id()), H5Sclose);
  const int rank = H5Sget_simple_extent_ndims(space.id());
  if (rank < 0) fail(dataset, "cannot read shape");
  std::vector<hsize_t> dims(static_cast<size_t>(rank));
  H5Sget_simple_extent_dims(space.id(), dims.data(), nullptr);
  return std::vector<int64_t>(dims.begin(), dims.end());
}

std::vector<std::string> File::read_strings(const std::string& dataset) const {
  Handle d = open_dataset(dataset);
  Handle type(H5Dget_type(d.id()), H5Tclose);
  if (H5Tget_class(type.id()) != H5T_STRING) fail(dataset, "expected strings, found a non-string dataset");
  const auto dims = shape(dataset);
  // [N] or [N, 1] (the SDK's word sequences).
  if (dims.size() != 1 && !(dims.size() == 2 && dims[1] == 1))
    fail(dataset, "expected a 1-D dataset of strings, found rank " + std::to_string(dims.size()));
  const size_t n = static_cast<size_t>(dims[0]);
  std::vector<std::string> out(n);
  if (n == 0) return out;
  if (H5Tis_variable_str(type.id()) > 0) {
    Handle mem(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(mem.id(), H5T_VARIABLE);
    H5Tset_cset(mem.id(), H5Tget_cset(type.id()));
    std::vector<char*> raw(n, nullptr);
    if (H5Dread(d.id(), mem.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, raw.data()) < 0) fail(dataset, "cannot read strings");
    for (size_t i = 0; i < n; ++i) out[i] = raw[i] ? raw[i] : "";
    Handle space(H5Dget_space(d.id()), H5Sclose);
    H5Dvlen_reclaim(mem.id(), space.id(), H5P_DEFAULT, raw.data());
  } else {
    const size_t width = H5Tget_size(type.id());
    std::vector<char> raw(n * width);
    if (H5Dread(d.id(), type.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, raw.data()) < 0) fail(dataset, "cannot read strings");
    for (size_t i = 0; i < n; ++i) out[i] = std::string(raw.data() + i * width, strnlen(raw.data() + i * width, width));
  }
  return out;
}

namespace {
template <class T>
Array<T> read_numeric(const File& file, hid_t dataset_id, const std::string& dataset, hid_t mem_type,
                      const std::vector<int64_t>& shape) {
  Handle type(H5Dget_type(dataset_id), H5Tclose);
  const H5T_class_t cls = H5Tget_class(type.id());
  if (cls != H5T_FLOAT && cls != H5T_INTEGER)
    throw InputError(file.path() + ": " + dataset + ": expected numbers, found a non-numeric dataset");
  Array<T> out;
  out.shape = shape;
  size_t count = 1;
  for (auto d : shape) count *= static_cast<size_t>(d);
  out.values.resize(count);
  if (count > 0 && H5Dread(dataset_id, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.values.data()) < 0)
    throw InputError(file.path() + ": " + dataset + ": cannot read values");
  return out;
}
}  // namespace

Array<float> File::read_floats(const std::string& dataset) const {
  Handle d = open_dataset(dataset);
  return read_numeric<float>(*this, d.id(), dataset, H5T_NATIVE_FLOAT, shape(dataset));
}

Array<double> File::read_doubles(const std::string& dataset) const {
  Handle d = open_dataset(dataset);
  return read_numeric<double>(*this, d.id(), dataset, H5T_NATIVE_DOUBLE, shape(dataset));
}

Array<uint8_t> File::read_bytes(const std::string& dataset) const {
  Handle d = open_dataset(dataset);
  return read_numeric<uint8_t>(*this, d.id(), dataset, H5T_NATIVE_UINT8, shape(dataset));
}

void File::create_group(const std::string& group) {
  Handle g(H5Gcreate2(id(), group.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose);
  if (!g.valid()) fail_write("group " + group);
}

void File::write_int_attribute(const std::string& object, const std::string& name, int64_t value) {
  Handle space(H5Screate(H5S_SCALAR), H5Sclose);
  Handle attr(H5Acreate_by_name(id(), object.c_str(), name.c_str(), H5T_STD_I64LE, space.id(), H5P_DEFAULT,
                                H5P_DEFAULT, H5P_DEFAULT),
              H5Aclose);
  long long v = value;
  if (!attr.valid() || H5Awrite(attr.id(), H5T_NATIVE_LLONG, &v) < 0)
    fail_write("attribute " + object + "@" + name);
}

void File::write_string_attribute(const std::string& object, const std::string& name, const std::string& value) {
  Handle type(H5Tcopy(H5T_C_S1), H5Tclose);
  H5Tset_size(type.id(), H5T_VARIABLE);
  H5Tset_cset(type.id(), H5T_CSET_UTF8);
  Handle space(H5Screate(H5S_SCALAR), H5Sclose);
  Handle attr(H5Acreate_by_name(id(), object.c_str(), name.c_str(), type.id(), space.id(), H5P_DEFAULT,
                                H5P_DEFAULT, H5P_DEFAULT),
              H5Aclose);
  const char* text = value.c_str();
  if (!attr.valid() || H5Awrite(attr.id(), type.id(), &text) < 0)
    fail_write("attribute " + object + "@" + name);
}

void File::write_strings(const std::string& dataset, const std::vector<std::string>& values) {
  Handle type(H5Tcopy(H5T_C_S1), H5Tclose);
  H5Tset_size(type.id(), H5T_VARIABLE);
  H5Tset_cset(type.id(), H5T_CSET_UTF8);
  const hsize_t n = values.size();
  Handle space(H5Screate_simple(1, &n, nullptr), H5Sclose);
  Handle d(H5Dcreate2(id(), dataset.c_str(), type.id(), space.id(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Dclose);
  std::vector<const char*> raw;
  raw.reserve(values.size());
  for (const auto& v : values) raw.push_back(v.c_str());
  if (!d.valid() || (n > 0 && H5Dwrite(d.id(), type.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, raw.data()) < 0))
    fail_write(dataset);
}

void File::write_numeric(const std::string& dataset, const std::vector<int64_t>& shape, hid_t file_type,
                         hid_t memory_type, const void* values) {
  std::vector<hsize_t> dims(shape.begin(), shape.end());
  Handle space(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), H5Sclose);
  Handle d(H5Dcreate2(id(), dataset.c_str(), file_type, space.id(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Dclose);
  size_t count = 1;
  for (auto s : shape) count *= static_cast<size_t>(s);
  if (!d.valid() || (count > 0 && H5Dwrite(d.id(), memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values) < 0))
    fail_write(dataset);
}

void File::write_floats(const std::string& dataset, const std::vector<int64_t>& shape, const float* values) {
  write_numeric(dataset, shape, H5T_IEEE_F32LE, H5T_NATIVE_FLOAT, values);
}

void File::write_doubles(const std::string& dataset, const std::vector<int64_t>& shape, const double* values) {
  write_numeric(dataset, shape, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, values);
}

void File::write_word_column(const std::string& dataset, const std::vector<std::string>& words) {
  size_t width = 1;
  for (const auto& w : words) width = std::max(width, w.size());
  std::vector<char> raw(words.size() * width, '\0');
  for (size_t i = 0; i < words.size(); ++i) std::copy(words[i].begin(), words[i].end(), raw.begin() + i * width);
  Handle type(H5Tcopy(H5T_C_S1), H5Tclose);
  H5Tset_size(type.id(), width);
  H5Tset_strpad(type.id(), H5T_STR_NULLPAD);
  const hsize_t dims[2] = {words.size(), 1};
  Handle space(H5Screate_simple(2, dims, nullptr), H5Sclose);
  Handle d(H5Dcreate2(id(), dataset.c_str(), type.id(), space.id(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Dclose);
  if (!d.valid() || (!words.empty() && H5Dwrite(d.id(), type.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, raw.data()) < 0))
    fail_write(dataset);
}

void File::write_bytes(const std::string& dataset, const std::vector<uint8_t>& values) {
  const hsize_t n = values.size();
  Handle space(H5Screate_simple(1, &n, nullptr), H5Sclose);
  Handle d(H5Dcreate2(id(), dataset.c_str(), H5T_STD_U8LE, space.id(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
           H5Dclose);
  if (!d.valid() || (n > 0 && H5Dwrite(d.id(), H5T_NATIVE_UINT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) < 0))
    fail_write(dataset);
}

}  // namespace daf::hdf5
