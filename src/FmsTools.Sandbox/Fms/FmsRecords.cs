using System;
using System.Collections.Generic;
using FmsTools.Aws.Fms;

namespace FmsTools.Sandbox.Fms
{
    /// <summary>A record an administrator owns in one region: only that administrator sees it there.</summary>
    internal interface IAdminOwned
    {
        string OwnerAccountId { get; }
        string Region { get; }

        /// <summary>Creation order, so listings are stable.</summary>
        long Sequence { get; }
    }

    /// <summary>A stored policy. Policy holds the normalized wire form GetPolicy returns.</summary>
    internal sealed class PolicyRecord : IAdminOwned
    {
        public string OwnerAccountId { get; set; } = "";
        public string Region { get; set; } = "";
        public Policy Policy { get; set; } = new Policy();
        public DateTime CreatedAt { get; set; }

        /// <summary>Sandbox time of the last create/update; remediation converges RemediationDelay after it.</summary>
        public DateTime UpdatedAt { get; set; }

        /// <summary>Sandbox time remediation last converged this policy (null: not yet).</summary>
        public DateTime? RemediatedAt { get; set; }

        /// <summary>Creation order, so listings are stable.</summary>
        public long Sequence { get; set; }
    }

    /// <summary>An applications or protocols list owned by an administrator in a region.</summary>
    internal sealed class AppsListRecord : IAdminOwned
    {
        public string OwnerAccountId { get; set; } = "";
        public string Region { get; set; } = "";
        public AppsListData List { get; set; } = new AppsListData();
        public long Sequence { get; set; }
    }

    internal sealed class ProtocolsListRecord : IAdminOwned
    {
        public string OwnerAccountId { get; set; } = "";
        public string Region { get; set; } = "";
        public ProtocolsListData List { get; set; } = new ProtocolsListData();
        public long Sequence { get; set; }
    }

    internal sealed class ResourceSetRecord : IAdminOwned
    {
        public string OwnerAccountId { get; set; } = "";
        public string Region { get; set; } = "";
        public ResourceSet Set { get; set; } = new ResourceSet();

        /// <summary>Associated resource ARNs with the account each belongs to.</summary>
        public List<Resource> Resources { get; set; } = new List<Resource>();
        public long Sequence { get; set; }
    }

    /// <summary>A Firewall Manager administrator (the default one from AssociateAdminAccount, others from PutAdminAccount).</summary>
    internal sealed class AdminRecord
    {
        public string AccountId { get; set; } = "";
        public bool IsDefault { get; set; }
        public AdminScope Scope { get; set; } = new AdminScope();

        /// <summary>Sandbox time of association; the role is CREATING until AdminSetupDelay has passed.</summary>
        public DateTime AssociatedAt { get; set; }
        public long Sequence { get; set; }
    }

    internal sealed class NotificationChannelRecord
    {
        public string SnsTopicArn { get; set; } = "";
        public string SnsRoleName { get; set; } = "";
    }

    internal sealed class TagsRecord
    {
        public List<Tag> Tags { get; set; } = new List<Tag>();
    }

    /// <summary>AssumeRole-issued keys, persisted so sessions survive a sandbox restart as they would at AWS.</summary>
    internal sealed class SessionRecord
    {
        public string AccessKeyId { get; set; } = "";
        public string SecretAccessKey { get; set; } = "";
        public string SessionToken { get; set; } = "";
        public string AccountId { get; set; } = "";
        public string RoleArn { get; set; } = "";
        public string SessionName { get; set; } = "";
        public DateTime ExpiresAtUtc { get; set; }

        public SandboxCredential ToCredential() => new SandboxCredential(AccessKeyId, SecretAccessKey, AccountId, SessionName)
        {
            SessionToken = SessionToken,
            ExpiresAtUtc = ExpiresAtUtc,
            AssumedRoleArn = RoleArn,
        };
    }

    /// <summary>Small scalar state (sequence counters).</summary>
    internal sealed class CounterRecord
    {
        public long Value { get; set; }
    }
}

namespace FmsTools.Sandbox.Fms
{
    /// <summary>Facts fixed when the sandbox state was first created (which accounts the built-in keys act as).</summary>
    internal sealed class HostRecord
    {
        public string AdminAccountId { get; set; } = "";
        public string ManagementAccountId { get; set; } = "";
        public DateTime CreatedAt { get; set; }
    }
}
