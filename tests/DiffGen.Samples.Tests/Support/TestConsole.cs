using System.IO;
using Spectre.Console;

namespace DiffGen.Samples.Tests.Support
{
    /// <summary>A Spectre console that writes plain text into a string, as a redirected or CI console would.</summary>
    internal sealed class TestConsole
    {
        private readonly StringWriter _writer = new();

        public TestConsole(bool interactive = false)
        {
            Console = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Ansi = interactive ? AnsiSupport.Yes : AnsiSupport.No,
                ColorSystem = interactive ? ColorSystemSupport.Standard : ColorSystemSupport.NoColors,
                Interactive = interactive ? InteractionSupport.Yes : InteractionSupport.No,
                Out = new AnsiConsoleOutput(_writer),
            });
            Console.Profile.Width = 200;
        }

        public IAnsiConsole Console { get; }

        public string Output => _writer.ToString();
    }
}
