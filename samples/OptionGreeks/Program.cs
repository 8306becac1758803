using System;
using Spectre.Console;

namespace DiffGen.Samples.OptionGreeks
{
    /// <summary>Command line: <c>dotnet run --project samples/OptionGreeks</c> (<c>--quick</c> is accepted and changes nothing: the sample is instant).</summary>
    public static class Program
    {
        /// <summary>Runs the sample.</summary>
        /// <param name="args">The command-line arguments.</param>
        /// <returns>0 when every Greek agrees with its closed form to 1e-12 relative, 1 otherwise, 2 for a bad command line.</returns>
        public static int Main(string[] args)
        {
            IAnsiConsole console = AnsiConsole.Console;
            foreach (string arg in args)
            {
                if (arg != "--quick")
                {
                    console.WriteLine("Usage: dotnet run --project samples/OptionGreeks [-- --quick]");
                    return arg is "-h" or "--help" ? 0 : 2;
                }
            }

            if (Console.IsOutputRedirected && console.Profile.Width < 120)
            {
                console.Profile.Width = 120;
            }

            OptionGreeksResult result = OptionGreeksSample.Run(OptionGreeksSample.DefaultScenarios, console);
            return result.AllAgree ? 0 : 1;
        }
    }
}
