using DiffGen.Generator.Diagnostics;
using Microsoft.CodeAnalysis;

namespace DiffGen.Generator.Model
{
    /// <summary>
    /// A diagnostic as values: which descriptor, where, and the message arguments as strings.
    /// Turned into a real <see cref="Diagnostic"/> only when it is reported.
    /// </summary>
    internal sealed record DiagnosticInfo(string Id, LocationInfo? Location, EquatableArray<string> Arguments)
    {
        public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, LocationInfo? location, params string[] arguments)
            => new(descriptor.Id, location, new EquatableArray<string>(arguments));

        public Diagnostic ToDiagnostic(Compilation? compilation = null)
        {
            var descriptor = DiagnosticDescriptors.ById(Id);
            var args = new object[Arguments.Count];
            for (int i = 0; i < args.Length; i++)
            {
                args[i] = Arguments[i];
            }

            return Diagnostic.Create(descriptor, Locate(compilation), args);
        }

        private Location Locate(Compilation? compilation)
        {
            if (Location is null)
            {
                return Microsoft.CodeAnalysis.Location.None;
            }

            if (compilation is not null)
            {
                foreach (var tree in compilation.SyntaxTrees)
                {
                    if (tree.FilePath == Location.FilePath && Location.Span.End <= tree.Length)
                    {
                        return Microsoft.CodeAnalysis.Location.Create(tree, Location.Span);
                    }
                }
            }

            return Location.ToLocation();
        }
    }
}
