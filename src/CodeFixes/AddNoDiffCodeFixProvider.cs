using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DiffGen.CodeFixes
{
    /// <summary>
    /// DG0016 (jagged arrays can only be [NoDiff] data): puts <c>[NoDiff]</c> first among the parameter's attributes.
    /// The attribute is written <c>NoDiff</c> where that name means DiffGen's attribute (a <c>using DiffGen;</c>, a
    /// global using, code inside namespace DiffGen), otherwise <c>DiffGen.NoDiff</c> (or <c>global::DiffGen.NoDiff</c>
    /// when something else is called DiffGen there), so the fix never adds a using the file did not have.
    /// The other way out, a rectangular <c>T[,]</c> for a parameter that needs a gradient, changes the body and the
    /// callers and is not offered.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddNoDiffCodeFixProvider)), Shared]
    public sealed class AddNoDiffCodeFixProvider : DiffGenCodeFixProvider
    {
        private const string AttributeMetadataName = "DiffGen.NoDiffAttribute";

        protected override string DiagnosticId => DiagnosticIds.ActiveJaggedArray;

        protected override string EquivalenceKey => "DiffGen.AddNoDiff";

        protected override string FixAllTitle => "Mark jagged array parameters [NoDiff]";

        private protected override async Task<ImmutableArray<SyntaxNode>> FindTargetsAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            if (root is null || model is null || !diagnostic.Location.IsInSource
                || root.FindNode(diagnostic.Location.SourceSpan).FirstAncestorOrSelf<ParameterSyntax>() is not { } parameter
                || model.Compilation.GetTypeByMetadataName(AttributeMetadataName) is not { } noDiff
                || model.GetDeclaredSymbol(parameter, cancellationToken) is not { } symbol)
            {
                return ImmutableArray<SyntaxNode>.Empty;
            }

            foreach (var attribute in symbol.GetAttributes())
            {
                if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, noDiff))
                {
                    return ImmutableArray<SyntaxNode>.Empty;
                }
            }

            return ImmutableArray.Create<SyntaxNode>(parameter);
        }

        private protected override string Title(ImmutableArray<SyntaxNode> targets)
            => "Mark '" + ((ParameterSyntax)targets[0]).Identifier.ValueText + "' [NoDiff] (data without a gradient)";

        private protected override async Task<SyntaxNode> RewriteAsync(Document document, SyntaxNode root, IReadOnlyList<SyntaxNode> targets, CancellationToken cancellationToken)
        {
            var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            var names = new Dictionary<SyntaxNode, NameSyntax>();
            foreach (var target in targets)
            {
                names[target] = AttributeName(model!, target.SpanStart);
            }

            return root.ReplaceNodes(targets, (original, parameter) => AddAttribute((ParameterSyntax)parameter, names[original]));
        }

        /// <summary>The shortest of NoDiff, DiffGen.NoDiff and global::DiffGen.NoDiff that binds to the attribute at <paramref name="position"/>.</summary>
        private static NameSyntax AttributeName(SemanticModel model, int position)
        {
            var noDiff = model.Compilation.GetTypeByMetadataName(AttributeMetadataName);
            NameSyntax[] candidates =
            {
                SyntaxFactory.IdentifierName("NoDiff"),
                SyntaxFactory.QualifiedName(SyntaxFactory.IdentifierName("DiffGen"), SyntaxFactory.IdentifierName("NoDiff")),
            };
            foreach (var name in candidates)
            {
                var symbol = model.GetSpeculativeSymbolInfo(position, SyntaxFactory.Attribute(name)).Symbol;
                if (symbol is not null && SymbolEqualityComparer.Default.Equals(symbol.ContainingType, noDiff))
                {
                    return name;
                }
            }

            return SyntaxFactory.QualifiedName(
                SyntaxFactory.AliasQualifiedName(SyntaxFactory.IdentifierName(SyntaxFactory.Token(SyntaxKind.GlobalKeyword)), SyntaxFactory.IdentifierName("DiffGen")),
                SyntaxFactory.IdentifierName("NoDiff"));
        }

        private static ParameterSyntax AddAttribute(ParameterSyntax parameter, NameSyntax name)
        {
            // [NoDiff] goes first, on the parameter's line: it takes the leading trivia (a line break and indentation
            // when parameters are one per line) and the rest follows after a space.
            var leading = parameter.GetLeadingTrivia();
            var list = SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Attribute(name)))
                .WithLeadingTrivia(leading)
                .WithTrailingTrivia(SyntaxFactory.Space);
            var stripped = parameter.WithoutLeadingTrivia();
            return stripped.WithAttributeLists(stripped.AttributeLists.Insert(0, list));
        }
    }
}
