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

# Views of the compliance cmdlets' output types.
CO = "FmsTools.Engine.Compliance."
RE = "FmsTools.Engine.Reports."
RM = "FmsTools.Engine.Remediation."
CS = "FmsTools.Commands.ComplianceSupport."
VIEWS.update({
    CO + "FmsComplianceStatus": ([("Policy", "PolicyName", 24), ("Region", "Region", 10), ("Account", "AccountName", 16),
                                  ("AccountId", "AccountId", 12), ("Status", "Status", 12), ("Violators", "ViolatorCount", 9),
                                  ("Reasons", "ReasonSummary", 0)],
                                 ["PolicyName", "PolicyId", "PolicyType", "Region", "IsGlobal", "AccountId", "AccountName", "OrganizationalUnitPath",
                                  "Status", "ViolatorCount", "ReasonSummary", "EvaluationLimitExceeded", "LastUpdated", "ExpiredAt", "IssueSummary",
                                  "DetailRetrieved", "PolicyOwner"]),
    CO + "FmsViolation": ([("Account", "AccountName", 16), ("Policy", "PolicyName", 22),
                           ("ResourceType", "{ $_.ResourceType -replace '^AWS::', '' }", 22), ("ResourceId", "ResourceId", 30),
                           ("Reason", "Reason", 0)],
                          ["PolicyName", "PolicyId", "PolicyType", "Region", "AccountId", "AccountName", "ResourceId", "ResourceType", "Reason",
                           "ReasonDescription", "ResourceDescription", "Details", "PossibleRemediationActions", "DefaultRemediation", "ResourceTags",
                           "Metadata", "IsEnriched"]),
    CO + "FmsViolationDetail": ([("Kind", "Kind", 44), ("Target", "Target", 24), ("Description", "Description", 0)],
                                ["Kind", "Target", "Description", "VpcId", "RouteTableId", "ViolatingRoutes", "ExpectedRoutes"]),
    CO + "FmsRoute": ([("Destination", "Destination", 20), ("Target", "Target", 24), ("TargetType", "TargetType", 18),
                       ("DestinationType", "DestinationType", 0)], None),
    CO + "FmsExpectedRoute": ([("Destination", "Destination", 20), ("AllowedTargets", "{ $_.AllowedTargets -join ', ' }", 26),
                               ("RouteTable", "RouteTableId", 24), ("Subnets", "{ $_.ContributingSubnets -join ', ' }", 0)], None),
    CO + "FmsRemediationOption": ([("Default", "IsDefaultAction", 7), ("FMSCanRemediate", "FMSCanRemediate", 15),
                                   ("Steps", "{ ($_.Actions | ForEach-Object { $_.ActionType }) -join ', ' }", 50), ("Description", "Description", 0)],
                                  ["Description", "IsDefaultAction", "FMSCanRemediate", "Actions"]),
    CO + "FmsRemediationActionStep": ([("Order", "Order", 5), ("Action", "ActionType", 38), ("Target", "TargetResourceId", 24),
                                       ("Description", "Description", 0)], None),
    RE + "ComplianceReport": ([("Generated", "{ $_.GeneratedAt.ToString('yyyy-MM-dd HH:mm') + 'Z' }", 17), ("Regions", "{ $_.Regions -join ', ' }", 22),
                               ("Policies", "{ $_.Summary.Policies }", 8), ("Accounts", "{ $_.Summary.Accounts }", 8),
                               ("NonCompliant", "{ $_.Summary.NonCompliantAccounts }", 12), ("Violators", "{ $_.Summary.NonCompliantResources }", 9),
                               ("Compliance", "{ '{0:0.0}%' -f $_.Summary.CompliancePercent }", 0)],
                              ["GeneratedAt", "Regions", "Summary", "PolicyRows", "AccountRows", "RowCount", "CallsByOperation"]),
    RM + "RemediationResult": ([("Outcome", "Outcome", 17), ("Policy", "PolicyName", 22), ("AccountId", "AccountId", 12),
                                ("ResourceId", "ResourceId", 34), ("Action", "Action", 0)],
                               ["Outcome", "Message", "PolicyName", "PolicyId", "Region", "AccountId", "ResourceId", "ResourceType", "Action",
                                "MissingCapability", "AwsCliCommand", "PowerShellCommand", "Step", "Error"]),
    CS + "ComplianceReportFile": ([("Name", "Name", 30), ("Format", "Format", 6), ("Length", "Length", 9), ("Rows", "Rows", 6),
                                   ("NonCompliant", "NonCompliantRows", 12), ("LastWriteTime", "LastWriteTime", 22), ("Directory", "DirectoryName", 0)],
                                  ["Name", "FullName", "Format", "Length", "LastWriteTime", "Rows", "NonCompliantRows", "Violators", "Overwritten"]),
    CS + "FmsComplianceTestResult": ([("IsCompliant", "IsCompliant", 11), ("Policies", "Policies", 8), ("Accounts", "Accounts", 8),
                                      ("Evaluations", "Evaluations", 11), ("NonCompliant", "{ $_.NonCompliant.Count }", 12),
                                      ("Violators", "ViolatorCount", 9), ("Summary", "Summary", 0)],
                                     ["IsCompliant", "Summary", "Policies", "Accounts", "Evaluations", "NonCompliant", "Unknown", "Violations",
                                      "ViolatorCount"]),
})

# Views of the change history cmdlets' output types.
HI = "FmsTools.Engine.History."
VIEWS.update({
    HI + "FmsChangeEntry": ([("Time", "{ $_.Time.ToString('yyyy-MM-dd HH:mm:ss') + 'Z' }", 20), ("Operation", "Operation", 22),
                             ("TargetType", "TargetType", 13), ("Target", "{ if ($_.TargetName) { $_.TargetName } else { $_.TargetId } }", 28),
                             ("Version", "Version", 7), ("Outcome", "Outcome", 9), ("Region", "Region", 10), ("Caller", "CallerArn", 0)],
                            ["Id", "Time", "Operation", "Outcome", "Error", "TargetType", "TargetId", "TargetName", "PolicyType", "Region", "Account",
                             "CallerArn", "Version", "RequestId"]),
    HI + "FmsComplianceChange": ([("Time", "{ $_.Time.ToString('yyyy-MM-dd HH:mm:ss') + 'Z' }", 20), ("Transition", "Transition", 20),
                                  ("Policy", "PolicyName", 22), ("Account", "AccountId", 12),
                                  ("ResourceType", "{ $_.ResourceType -replace '^AWS::', '' }", 22), ("ResourceId", "ResourceId", 28),
                                  ("Reason", "Reason", 0)],
                                 ["Time", "PreviousTime", "Transition", "PolicyName", "PolicyId", "Region", "AccountId", "AccountName",
                                  "PreviousStatus", "Status", "ResourceId", "ResourceType", "Reason"]),
})

# Views of the cost estimate: figures with the assumptions they rest on beside them.
CT = "FmsTools.Engine.Cost."
VIEWS.update({
    CT + "FmsCostEstimate": ([("Level", "Level", 7), ("Policy", "PolicyName", 20), ("Account", "AccountId", 12), ("Accounts", "Accounts", 8),
                              ("FMS", "{ '{0:N2}' -f $_.FmsPolicyFee }", 9), ("Config", "{ '{0:N2}' -f $_.ConfigEvaluations }", 9),
                              ("WAF", "{ '{0:N2}' -f $_.Waf }", 10), ("Shield", "{ '{0:N2}' -f $_.ShieldAdvanced }", 9),
                              ("NetFirewall", "{ '{0:N2}' -f $_.NetworkFirewall }", 11), ("Monthly", "{ '{0:N2} {1}' -f $_.MonthlyTotal, $_.Currency }", 14),
                              ("Assumptions", "Assumptions", 0)],
                             ["Level", "PolicyName", "PolicyId", "PolicyType", "Region", "AccountId", "Accounts", "AccountSource", "FmsPolicyFee",
                              "ConfigEvaluations", "Waf", "ShieldAdvanced", "NetworkFirewall", "MonthlyTotal", "Currency", "Assumptions", "PriceTable"]),
})
