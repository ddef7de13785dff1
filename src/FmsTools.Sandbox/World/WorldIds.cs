using System;
using System.Text;

namespace FmsTools.Sandbox.World
{
    /// <summary>
    /// Produces AWS-format identifiers from a deterministic 64-bit stream, so a seed (or a world's id counter) always yields
    /// the same ids. SplitMix64 is used instead of System.Random because its output is specified and identical on
    /// .NET Framework and .NET.
    /// </summary>
    public sealed class WorldIds
    {
        private const string Hex = "0123456789abcdef";
        private const string LowerAlnum = "abcdefghijklmnopqrstuvwxyz0123456789";
        private const string UpperAlnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        private ulong state;

        public WorldIds(long seed)
        {
            state = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + 0x632BE59BD9B4E5UL);
        }

        public ulong NextUInt64()
        {
            unchecked
            {
                state += 0x9E3779B97F4A7C15UL;
                var z = state;
                z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
                z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
                return z ^ (z >> 31);
            }
        }

        /// <summary>A uniform integer in [0, maxExclusive).</summary>
        public int Next(int maxExclusive) => maxExclusive <= 1 ? 0 : (int)(NextUInt64() % (ulong)maxExclusive);

        public bool Chance(int percent) => Next(100) < percent;

        public string HexString(int length) => FromAlphabet(Hex, length);

        public string LowerAlphanumeric(int length) => FromAlphabet(LowerAlnum, length);

        public string UpperAlphanumeric(int length) => FromAlphabet(UpperAlnum, length);

        public string Digits(int length)
        {
            var builder = new StringBuilder(length);
            builder.Append((char)('1' + Next(9)));
            for (var i = 1; i < length; i++) builder.Append((char)('0' + Next(10)));
            return builder.ToString();
        }

        /// <summary>8-4-4-4-12 lowercase hex, the format WAFv2, Shield and Network Firewall use for ids.</summary>
        public string Uuid() => HexString(8) + "-" + HexString(4) + "-4" + HexString(3) + "-" + "89ab"[Next(4)] + HexString(3) + "-" + HexString(12);

        /// <summary>EC2 style: prefix-17 hex characters (vpc-, subnet-, sg-, i-, eni-, acl-, eipalloc-, vpce-).</summary>
        public string Ec2Id(string prefix) => prefix + "-0" + HexString(16);

        /// <summary>The lock/update tokens AWS hands out (a UUID).</summary>
        public string Token() => Uuid();

        private string FromAlphabet(string alphabet, int length)
        {
            var builder = new StringBuilder(length);
            for (var i = 0; i < length; i++) builder.Append(alphabet[Next(alphabet.Length)]);
            return builder.ToString();
        }
    }
}
