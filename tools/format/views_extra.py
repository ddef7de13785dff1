# Views of the policy cmdlets' output types; exec'd by generate_format.py, which owns VIEWS.
P = "FmsTools.Engine.Policies."
O = "FmsTools.Engine.PolicyOperations."
VIEWS.update({
    P + "FmsPolicy": ([("Name", "Name", 28), ("Type", "TypeName", 22),
                       ("ResourceTypes", "{ ($_.ResourceTypes | ForEach-Object { $_ -replace '^AWS::', '' }) -join ', ' }", 30),
                       ("Remediation", "RemediationEnabled", 11), ("Status", "Status", 8),
                       ("Scope", "{ if ($_.IsDetailed) { $_.ScopeSummary } else { '(summary; -Detailed shows scope)' } }", 0)],
                      ["Name", "PolicyId", "TypeName", "Arn", "Region", "Description", "ResourceTypes", "ScopeSummary", "Scope",
                       "RemediationEnabled", "DeleteUnusedFMManagedResources", "Status", "IsDetailed", "Settings", "PolicyOption",
                       "Tags", "UpdateToken"]),
    P + "PolicyFinding": ([("Severity", "Severity", 8), ("Rule", "Rule", 40), ("Field", "Field", 40), ("Message", "Message", 0)], None),
    O + "FmsPolicyDifference": ([("PolicyName", "PolicyName", 22), ("Kind", "Kind", 8), ("Path", "Path", 40),
                                 ("Deployed", "DeployedValue", 22), ("Desired", "DesiredValue", 0)],
                                ["PolicyName", "PolicyId", "Path", "Kind", "DeployedValue", "DesiredValue", "Note"]),
    O + "FmsPolicyComparison": ([("PolicyName", "PolicyName", 28), ("Type", "PolicyType", 22), ("Status", "Status", 12),
                                 ("Differences", "DifferenceCount", 11), ("Paths", "DifferenceSummary", 0)], None),
    O + "PolicyFileInfo": ([("Name", "Name", 45), ("Length", "Length", 8), ("LastWriteTime", "LastWriteTime", 22),
                            ("PolicyType", "PolicyType", 22), ("PolicyName", "PolicyName", 0)],
                           ["Name", "FullName", "Length", "LastWriteTime", "PolicyName", "PolicyId", "PolicyType", "Overwritten"]),
    O + "PolicySyncResult": ([("Action", "Action", 9), ("Status", "Status", 10), ("Name", "Name", 28), ("Type", "PolicyType", 22),
                              ("Differences", "DifferenceCount", 11), ("PolicyId", "PolicyId", 0)],
                             ["Action", "Status", "Name", "PolicyId", "PolicyType", "DifferenceCount", "Differences", "Message"]),
})
