using System;

namespace FmsTools.Sandbox.Server
{
    internal static class Program
    {
        private static int Main(string[] args)
        {
            Console.Error.WriteLine("fms-sandbox: not yet wired");
            return 2;
        }
    }
}
