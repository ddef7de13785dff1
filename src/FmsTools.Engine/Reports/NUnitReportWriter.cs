using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Xml;
using FmsTools.Engine.Compliance;

namespace FmsTools.Engine.Reports
{
    /// <summary>
    /// NUnit 3 test-run XML (the format of docs.nunit.org's "Test Result XML Format"): an Assembly suite for the run,
    /// a TestFixture per policy and region, a test case per policy × account. Non-compliant accounts fail, accounts not
    /// evaluated yet are Skipped (Inconclusive would hide them from most consumers), and accounts whose every violator
    /// is accepted pass with the accepted violations in their output and an Excepted property.
    /// </summary>
    public static class NUnitReportWriter
    {
        public static void Write(ComplianceReport report, TextWriter writer)
        {
            if (report == null) throw new ArgumentNullException(nameof(report));
            var s = report.Summary;
            var failed = s.NonCompliantEvaluations - s.ExceptedEvaluations;
            var skipped = s.UnknownEvaluations;
            var passed = s.Evaluations - failed - skipped;
            var time = report.GeneratedAt.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ssZ", CultureInfo.InvariantCulture);
            var runResult = failed > 0 ? "Failed" : "Passed";
            var settings = new XmlWriterSettings { Indent = true, CloseOutput = false, Encoding = new UTF8Encoding(false) };
            var id = 1;
            using (var xml = XmlWriter.Create(writer, settings))
            {
                xml.WriteStartDocument();
                xml.WriteStartElement("test-run");
                Attr(xml, "id", "0");
                Attr(xml, "name", "FmsTools compliance");
                Attr(xml, "fullname", "FmsTools compliance");
                Counts(xml, s.Evaluations, runResult, passed, failed, skipped);
                Attr(xml, "engine-version", "3.0");
                Attr(xml, "clr-version", Environment.Version.ToString());
                Attr(xml, "start-time", time);
                Attr(xml, "end-time", time);
                Attr(xml, "duration", "0");

                xml.WriteStartElement("test-suite");
                Attr(xml, "type", "Assembly");
                Attr(xml, "id", Number(id++));
                Attr(xml, "name", "FmsTools.Compliance");
                Attr(xml, "fullname", "FmsTools.Compliance");
                Attr(xml, "runstate", "Runnable");
                Counts(xml, s.Evaluations, runResult, passed, failed, skipped);
                if (failed > 0) Attr(xml, "site", "Child");
                Attr(xml, "start-time", time);
                Attr(xml, "end-time", time);
                Attr(xml, "duration", "0");
                xml.WriteStartElement("properties");
                Property(xml, "regions", string.Join(",", report.Regions));
                xml.WriteEndElement();
                if (failed > 0) Failure(xml, "One or more child tests had errors", null);

                foreach (var policy in report.PolicyRows)
                {
                    var fixtureName = $"{policy.PolicyName} ({policy.Region})";
                    var fullName = $"FmsTools.Compliance.{policy.PolicyType}.{policy.PolicyName}.{policy.Region}";
                    var policyFailed = policy.NonCompliantAccounts - policy.ExceptedAccounts;
                    var policySkipped = policy.UnknownAccounts;
                    xml.WriteStartElement("test-suite");
                    Attr(xml, "type", "TestFixture");
                    Attr(xml, "id", Number(id++));
                    Attr(xml, "name", fixtureName);
                    Attr(xml, "fullname", fullName);
                    Attr(xml, "classname", fullName);
                    Attr(xml, "runstate", "Runnable");
                    Counts(xml, policy.Accounts, policyFailed > 0 ? "Failed" : "Passed", policy.Accounts - policyFailed - policySkipped, policyFailed, policySkipped);
                    if (policyFailed > 0) Attr(xml, "site", "Child");
                    Attr(xml, "start-time", time);
                    Attr(xml, "end-time", time);
                    Attr(xml, "duration", "0");
                    xml.WriteStartElement("properties");
                    Property(xml, "policyId", policy.PolicyId);
                    Property(xml, "policyType", policy.PolicyType);
                    Property(xml, "region", policy.Region);
                    xml.WriteEndElement();
                    if (policyFailed > 0) Failure(xml, "One or more child tests had errors", null);
                    foreach (var row in report.Rows.Where(r => r.PolicyId == policy.PolicyId && r.Region == policy.Region))
                        TestCase(xml, row, fullName, id++, time);
                    xml.WriteEndElement();
                }
                xml.WriteEndElement();
                xml.WriteEndElement();
                xml.WriteEndDocument();
            }
            writer.Write('\n');
        }

        private static void TestCase(XmlWriter xml, FmsComplianceStatus row, string fixture, int id, string time)
        {
            var name = $"{row.AccountName} ({row.AccountId})";
            var result = row.IsExcepted ? "Passed" : row.StatusValue == FmsComplianceState.NonCompliant ? "Failed"
                : row.StatusValue == FmsComplianceState.Unknown ? "Skipped" : "Passed";
            xml.WriteStartElement("test-case");
            Attr(xml, "id", Number(id));
            Attr(xml, "name", name);
            Attr(xml, "fullname", fixture + "." + row.AccountId);
            Attr(xml, "methodname", row.AccountId);
            Attr(xml, "classname", fixture);
            Attr(xml, "runstate", "Runnable");
            Attr(xml, "result", result);
            if (result == "Skipped") Attr(xml, "label", "Ignored");
            Attr(xml, "start-time", time);
            Attr(xml, "end-time", time);
            Attr(xml, "duration", "0");
            Attr(xml, "asserts", "0");
            xml.WriteStartElement("properties");
            Property(xml, "accountId", row.AccountId);
            Property(xml, "organizationalUnitPath", row.OrganizationalUnitPath);
            Property(xml, "status", row.Status);
            Property(xml, "violatorCount", Number(row.ViolatorCount));
            if (row.ExceptedViolatorCount > 0) Property(xml, "exceptedViolatorCount", Number(row.ExceptedViolatorCount));
            if (row.IsExcepted) Property(xml, "Excepted", "true");
            xml.WriteEndElement();
            if (result == "Failed")
            {
                var text = new StringBuilder();
                foreach (var v in row.Violations.Where(v => !v.Excepted))
                    text.Append(v.ResourceType).Append(' ').Append(v.ResourceId).Append(": ").Append(v.Reason).Append(" - ").Append(v.ReasonDescription).Append('\n');
                if (row.ViolatorCount > row.Violations.Count) text.Append(row.ViolatorCount - row.Violations.Count).Append(" more violators were not listed by Firewall Manager.\n");
                Failure(xml, $"{Math.Max(0, row.ViolatorCount - row.ExceptedViolatorCount)} non-compliant resources" + (row.ReasonSummary.Length > 0 ? ": " + row.ReasonSummary : ""), text.ToString());
            }
            else if (result == "Skipped")
            {
                xml.WriteStartElement("reason");
                xml.WriteStartElement("message");
                xml.WriteString(ComplianceReportExporter.XmlSafe("Not evaluated yet" + (row.IssueSummary.Length > 0 ? ": " + row.IssueSummary : "")));
                xml.WriteEndElement();
                xml.WriteEndElement();
            }
            var accepted = ComplianceReportExporter.AcceptedText(row);
            if (accepted.Length > 0)
            {
                xml.WriteStartElement("output");
                xml.WriteString(ComplianceReportExporter.XmlSafe(accepted));
                xml.WriteEndElement();
            }
            xml.WriteEndElement();
        }

        private static void Counts(XmlWriter xml, long total, string result, long passed, long failed, long skipped)
        {
            Attr(xml, "testcasecount", Number(total));
            Attr(xml, "result", result);
            Attr(xml, "total", Number(total));
            Attr(xml, "passed", Number(passed));
            Attr(xml, "failed", Number(failed));
            Attr(xml, "warnings", "0");
            Attr(xml, "inconclusive", "0");
            Attr(xml, "skipped", Number(skipped));
            Attr(xml, "asserts", "0");
        }

        private static void Failure(XmlWriter xml, string message, string? detail)
        {
            xml.WriteStartElement("failure");
            xml.WriteStartElement("message");
            xml.WriteString(ComplianceReportExporter.XmlSafe(message));
            xml.WriteEndElement();
            if (!string.IsNullOrEmpty(detail))
            {
                xml.WriteStartElement("stack-trace");
                xml.WriteString(ComplianceReportExporter.XmlSafe(detail!));
                xml.WriteEndElement();
            }
            xml.WriteEndElement();
        }

        private static void Property(XmlWriter xml, string name, string value)
        {
            xml.WriteStartElement("property");
            Attr(xml, "name", name);
            Attr(xml, "value", value);
            xml.WriteEndElement();
        }

        private static void Attr(XmlWriter xml, string name, string value) => xml.WriteAttributeString(name, ComplianceReportExporter.XmlSafe(value));

        private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
    }
}
