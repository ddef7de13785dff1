using System;
using System.Collections.Generic;
using System.Linq;
using FmsTools.Aws.Fms;

namespace FmsTools.Sandbox.World
{
    /// <summary>A violation the demo organization is built to have before remediation (its documented ground truth).</summary>
    public sealed class ExpectedViolation
    {
        public string PolicyName { get; set; } = "";
        public string Region { get; set; } = "";
        public string AccountId { get; set; } = "";

        /// <summary>As FMS reports it in ComplianceViolator.ResourceId (EC2 id or ARN).</summary>
        public string ResourceId { get; set; } = "";
        public string ResourceType { get; set; } = "";
        public string ViolationReason { get; set; } = "";

        /// <summary>Why the resource violates, in words.</summary>
        public string Why { get; set; } = "";

        /// <summary>False for violations FMS only reports (Network Firewall routes in MONITOR mode): they remain after remediation.</summary>
        public bool FmsRemediates { get; set; } = true;

        public override string ToString() => PolicyName + " " + Region + " " + AccountId + " " + ResourceId + " " + ViolationReason;
    }
}
