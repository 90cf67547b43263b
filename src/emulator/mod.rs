//! The reference emulator of Alibaba Cloud KMS and Huawei Cloud KMS.
