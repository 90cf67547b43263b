//! The fixed identity of the embedded target: the variables a target profile gives for it.

/// The account, project and region names the emulator answers as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Identity {
    /// Alibaba Cloud region id, used in ARNs and the error `HostId`.
    pub region: &'static str,
    /// Alibaba Cloud account id, used in ARNs and `Creator`.
    pub account: &'static str,
    /// Huawei Cloud project id: the only `{project_id}` the Huawei routes accept.
    pub project_id: &'static str,
    /// Huawei Cloud region, used in alias URNs and `realm`.
    pub huawei_region: &'static str,
    /// Huawei Cloud domain (account) id, used in `domain_id` fields and alias URNs.
    pub domain_id: &'static str,
}

/// The identity of every emulator instance (docs/interpretations.md, "Emulator identity").
pub const IDENTITY: Identity = Identity {
    region: "cn-hangzhou",
    account: "1234567890123456",
    project_id: "0123456789abcdef0123456789abcdef",
    huawei_region: "cn-north-4",
    domain_id: "3bab8e245e854f68af5967c00dd43127",
};

/// Returns the identity of the embedded target.
pub fn identity() -> Identity {
    IDENTITY
}

impl Identity {
    /// The ARN of an Alibaba key: `acs:kms:{region}:{account}:key/{key_id}`. Built by
    /// concatenation: ListKeys makes one per listed key, on every request.
    pub fn key_arn(&self, key_id: &str) -> String {
        self.arn(&["key/", key_id])
    }

    /// The ARN of an Alibaba alias: `acs:kms:{region}:{account}:{alias_name}`.
    pub fn alias_arn(&self, alias_name: &str) -> String {
        self.arn(&[alias_name])
    }

    /// `acs:kms:{region}:{account}:` followed by `parts`.
    fn arn(&self, parts: &[&str]) -> String {
        let tail: usize = parts.iter().map(|p| p.len()).sum();
        let mut s = String::with_capacity(10 + self.region.len() + self.account.len() + tail);
        s.push_str("acs:kms:");
        s.push_str(self.region);
        s.push(':');
        s.push_str(self.account);
        s.push(':');
        for p in parts {
            s.push_str(p);
        }
        s
    }

    /// The prefix shared by every ARN of this account and region.
    pub fn arn_prefix(&self) -> String {
        format!("acs:kms:{}:{}:", self.region, self.account)
    }

    /// The `HostId` of Alibaba error bodies: the regional endpoint.
    pub fn alibaba_host(&self) -> String {
        format!("kms.{}.aliyuncs.com", self.region)
    }

    /// The URN of a Huawei alias: `kms:{region}:{domain_id}:alias:{alias}`.
    pub fn alias_urn(&self, alias: &str) -> String {
        format!(
            "kms:{}:{}:alias:{}",
            self.huawei_region, self.domain_id, alias
        )
    }
}
