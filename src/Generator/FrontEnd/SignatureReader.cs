using System.Collections.Generic;
using System.Threading;
using DiffGen.Generator.Diagnostics;
using DiffGen.Generator.Ir;
using DiffGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DiffGen.Generator.FrontEnd
{
    /// <summary>
    /// Reads what the generated methods' signatures depend on: the enclosing types, the parameters and which of
    /// them are active, and reports what makes the method impossible to differentiate.
    /// </summary>
    internal static class SignatureReader
    {
        public const string DifferentiableAttribute = "DiffGen.DifferentiableAttribute";
        public const string NoDiffAttribute = "DiffGen.NoDiffAttribute";
        public const string DerivativeOfAttribute = "DiffGen.DerivativeOfAttribute";
        public const string OutputAttribute = "DiffGen.OutputAttribute";

        /// <summary>Whether a parameter of any method (ours or a callee's) gets an adjoint.</summary>
        public static bool IsActive(IParameterSymbol parameter)
        {
            if (HasAttribute(parameter, NoDiffAttribute) || HasAttribute(parameter, OutputAttribute) || parameter.RefKind != RefKind.None)
            {
                return false;
            }

            var type = TypeClassifier.Classify(parameter.Type);
            return type is { } t && TypeClassifier.IsReal(t.Element) && t.Shape != Shape.Jagged;
        }

        public static bool HasAttribute(ISymbol symbol, string metadataName)
        {
            foreach (var attribute in symbol.GetAttributes())
            {
                if (attribute.AttributeClass?.ToDisplayString() == metadataName)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>An identifier as C# source: keywords get '@' (a parameter named @in stays @in).</summary>
        /// <summary>
        /// An identifier as generated code writes it: keywords get an @, and so do the framework names generated code
        /// uses (a parameter named MathF is written @MathF, so qualifying the framework's MathF.Sqrt as
        /// global::System.MathF.Sqrt, see MethodEmitter.Qualify, leaves the parameter's MathF.GetLength alone).
        /// </summary>
        public static string Escape(string name)
            => SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None || System.Array.IndexOf(FrameworkNames, name) >= 0 ? "@" + name : name;

        /// <summary>Framework names generated code writes unqualified (Math.Sin, Span&lt;double&gt;) unless the user's code shadows them.</summary>
        public static readonly string[] FrameworkNames = { "Math", "MathF", "Span", "ReadOnlySpan", "ArrayPool", "ArgumentException", "Array" };

        public static string AdjointName(string parameterName)
            => "d" + char.ToUpperInvariant(parameterName[0]) + parameterName.Substring(1);

        public static IReadOnlyList<ParameterModel> ReadParameters(
            IMethodSymbol method, MethodDeclarationSyntax syntax, List<DiagnosticInfo> diagnostics)
        {
            var taken = new HashSet<string>();
            foreach (var p in method.Parameters)
            {
                taken.Add(p.Name);
            }

            // Locals of the body keep their names in generated code: adjoints must not take them.
            foreach (var token in syntax.DescendantTokens())
            {
                if (token.IsKind(SyntaxKind.IdentifierToken))
                {
                    taken.Add(token.ValueText);
                }
            }

            var result = new List<ParameterModel>();
            for (int i = 0; i < method.Parameters.Length; i++)
            {
                var p = method.Parameters[i];
                var location = i < syntax.ParameterList.Parameters.Count
                    ? LocationInfo.From(syntax.ParameterList.Parameters[i])
                    : LocationInfo.From(syntax.Identifier);
                if (p.RefKind != RefKind.None)
                {
                    diagnostics.Add(DiagnosticInfo.Create(
                        DiagnosticDescriptors.RefParameter, location, p.Name, p.RefKind.ToString().ToLowerInvariant()));
                    continue;
                }

                var type = TypeClassifier.Classify(p.Type);
                bool noDiff = HasAttribute(p, NoDiffAttribute);
                if (HasAttribute(p, OutputAttribute))
                {
                    if (ReadOutput(method, p, type, noDiff, location, taken, diagnostics) is { } output)
                    {
                        result.Add(output);
                    }

                    continue;
                }

                if (type is null)
                {
                    diagnostics.Add(DiagnosticInfo.Create(
                        DiagnosticDescriptors.UnsupportedParameterType, location, p.Name, p.Type.ToDisplayString(),
                        "use double, float, int, bool, double[], double[,], Span<double> or ReadOnlySpan<double> (or the float forms)"));
                    continue;
                }

                if (type.Value.Shape == Shape.Jagged && !noDiff)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ActiveJaggedArray, location, p.Name));
                    continue;
                }

                bool active = !noDiff && TypeClassifier.IsReal(type.Value.Element);
                string? adjoint = null;
                if (active)
                {
                    // A clash with a local takes a suffix that local versions (x2, x3, ...) never use.
                    string preferred = AdjointName(p.Name);
                    adjoint = Escape(taken.Contains(preferred) ? Unique(preferred + "Adjoint", taken) : Unique(preferred, taken));
                }

                result.Add(new ParameterModel(
                    Escape(p.Name),
                    p.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
                    type.Value.Element,
                    type.Value.Shape,
                    type.Value.Storage,
                    active,
                    adjoint));
            }

            return result;
        }

        /// <summary>
        /// The [Output] span of a vector-valued method: exactly one, a <c>Span&lt;double&gt;</c> or <c>Span&lt;float&gt;</c>,
        /// not [NoDiff], on a method that returns void. Its "adjoint" name is the name of the seed parameter.
        /// </summary>
        private static ParameterModel? ReadOutput(
            IMethodSymbol method, IParameterSymbol p, TypeClass? type, bool noDiff, LocationInfo? location, HashSet<string> taken, List<DiagnosticInfo> diagnostics)
        {
            string? problem = null;
            if (type is not { Shape: Shape.Vector, Storage: Storage.Span } t || !TypeClassifier.IsReal(t.Element))
            {
                problem = "it is a '" + p.Type.ToDisplayString() + "'; declare it as Span<double> or Span<float>";
            }
            else if (noDiff)
            {
                problem = "it is also [NoDiff]; remove one of the two attributes";
            }
            else if (!method.ReturnsVoid)
            {
                problem = "'" + method.Name + "' returns a value; a method with an [Output] span returns void (write every output into the span)";
            }
            else if (OutputCount(method) > 1)
            {
                problem = "'" + method.Name + "' has more than one [Output] parameter; write all outputs into one span";
            }
            else if (type.Value.Element != ElementOfOthers(method, type.Value.Element))
            {
                problem = "its element type differs from the method's other real parameters; use one precision throughout";
            }

            if (problem is not null)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidOutput, location, p.Name, problem));
                return null;
            }

            string preferred = AdjointName(p.Name);
            string seed = Escape(taken.Contains(preferred) ? Unique(preferred + "Seed", taken) : Unique(preferred, taken));
            return new ParameterModel(
                Escape(p.Name),
                p.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
                type!.Value.Element,
                Shape.Vector,
                Storage.Output,
                false,
                seed,
                Output: true);
        }

        private static int OutputCount(IMethodSymbol method)
        {
            int count = 0;
            foreach (var p in method.Parameters)
            {
                count += HasAttribute(p, OutputAttribute) ? 1 : 0;
            }

            return count;
        }

        /// <summary>The element type of the other active parameters (or <paramref name="fallback"/> when they agree or there are none).</summary>
        private static ScalarType ElementOfOthers(IMethodSymbol method, ScalarType fallback)
        {
            foreach (var p in method.Parameters)
            {
                if (IsActive(p) && TypeClassifier.Classify(p.Type) is { } t && TypeClassifier.IsReal(t.Element) && t.Element != fallback)
                {
                    return t.Element;
                }
            }

            return fallback;
        }

        /// <summary>
        /// <see cref="Unique(string, HashSet{string})"/> for an emitter that asks for many names with the same stem
        /// (t, t2, t3, …): <paramref name="nextSuffix"/> remembers where each stem's search stopped, so the n-th name
        /// costs one try instead of n. Gives the same names, because <paramref name="taken"/> only grows.
        /// </summary>
        public static string Unique(string name, HashSet<string> taken, Dictionary<string, int> nextSuffix)
        {
            if (taken.Add(name))
            {
                return name;
            }

            int n = nextSuffix.TryGetValue(name, out int from) ? from : 2;
            string candidate;
            while (!taken.Add(candidate = name + n.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            {
                n++;
            }

            nextSuffix[name] = n + 1;
            return candidate;
        }

        public static string Unique(string name, HashSet<string> taken)
        {
            string candidate = name;
            for (int n = 2; !taken.Add(candidate); n++)
            {
                candidate = name + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            return candidate;
        }

        /// <summary>The enclosing types, outermost first; reports each one that is not partial.</summary>
        public static IReadOnlyList<ContainingType> ReadContainingTypes(
            MethodDeclarationSyntax syntax, IMethodSymbol method, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
        {
            var types = new List<ContainingType>();
            for (var node = syntax.Parent; node is TypeDeclarationSyntax typeSyntax; node = node.Parent)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!typeSyntax.Modifiers.Any(SyntaxKind.PartialKeyword))
                {
                    diagnostics.Add(DiagnosticInfo.Create(
                        DiagnosticDescriptors.TypeNotPartial, LocationInfo.From(typeSyntax.Identifier), typeSyntax.Identifier.Text, method.Name));
                }

                string keyword = typeSyntax switch
                {
                    RecordDeclarationSyntax r when r.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword) => "record struct",
                    RecordDeclarationSyntax => "record",
                    StructDeclarationSyntax => "struct",
                    InterfaceDeclarationSyntax => "interface",
                    _ => "class",
                };
                string name = typeSyntax.Identifier.Text + (typeSyntax.TypeParameterList?.ToString() ?? string.Empty);
                types.Insert(0, new ContainingType(keyword, name, typeSyntax.Modifiers.Any(SyntaxKind.StaticKeyword)));
            }

            return types;
        }

        public static string Accessibility(IMethodSymbol method) => method.DeclaredAccessibility switch
        {
            Microsoft.CodeAnalysis.Accessibility.Public => "public",
            Microsoft.CodeAnalysis.Accessibility.Internal => "internal",
            Microsoft.CodeAnalysis.Accessibility.Protected => "protected",
            Microsoft.CodeAnalysis.Accessibility.ProtectedOrInternal => "protected internal",
            Microsoft.CodeAnalysis.Accessibility.ProtectedAndInternal => "private protected",
            _ => "private",
        };
    }
}
