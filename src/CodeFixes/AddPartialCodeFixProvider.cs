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
    /// DG0002 (the containing type must be partial): adds <c>partial</c> to the type the diagnostic names and to each
    /// type enclosing it, on every declaration of each that lacks it (C# wants the modifier on all declarations of a
    /// partial type, in whichever file they are). <c>partial</c> goes last, right before <c>class</c>, <c>struct</c>,
    /// <c>record</c> or <c>interface</c>, as C# requires.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddPartialCodeFixProvider)), Shared]
    public sealed class AddPartialCodeFixProvider : DiffGenCodeFixProvider
    {
        protected override string DiagnosticId => DiagnosticIds.TypeNotPartial;

        protected override string EquivalenceKey => "DiffGen.AddPartial";

        protected override string FixAllTitle => "Make the types of [Differentiable] methods partial";

        private protected override async Task<ImmutableArray<SyntaxNode>> FindTargetsAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            if (root?.FindToken(diagnostic.Location.SourceSpan.Start).Parent is not TypeDeclarationSyntax declaration)
            {
                return ImmutableArray<SyntaxNode>.Empty;
            }

            var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            if (model?.GetDeclaredSymbol(declaration, cancellationToken) is not INamedTypeSymbol type)
            {
                return ImmutableArray<SyntaxNode>.Empty;
            }

            var targets = ImmutableArray.CreateBuilder<SyntaxNode>();
            for (var t = type; t is not null; t = t.ContainingType)
            {
                foreach (var reference in t.DeclaringSyntaxReferences)
                {
                    if (await reference.GetSyntaxAsync(cancellationToken).ConfigureAwait(false) is TypeDeclarationSyntax d
                        && !d.Modifiers.Any(SyntaxKind.PartialKeyword))
                    {
                        targets.Add(d);
                    }
                }
            }

            return targets.ToImmutable();
        }

        private protected override string Title(ImmutableArray<SyntaxNode> targets)
        {
            var names = new List<string>();
            foreach (var target in targets)
            {
                string name = "'" + ((TypeDeclarationSyntax)target).Identifier.ValueText + "'";
                if (!names.Contains(name))
                {
                    names.Add(name);
                }
            }

            string list = names.Count == 1
                ? names[0]
                : string.Join(", ", names.GetRange(0, names.Count - 1)) + " and " + names[names.Count - 1];
            return "Make " + list + " partial";
        }

        private protected override Task<SyntaxNode> RewriteAsync(Document document, SyntaxNode root, IReadOnlyList<SyntaxNode> targets, CancellationToken cancellationToken)
            => Task.FromResult(root.ReplaceNodes(targets, static (_, declaration) => AddPartial((TypeDeclarationSyntax)declaration)));

        private static TypeDeclarationSyntax AddPartial(TypeDeclarationSyntax declaration)
        {
            if (declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                return declaration;
            }

            var partial = SyntaxFactory.Token(SyntaxKind.PartialKeyword).WithTrailingTrivia(SyntaxFactory.Space);
            if (declaration.Modifiers.Count > 0)
            {
                return declaration.AddModifiers(partial);
            }

            // No modifiers: 'partial' takes the keyword's place at the start of the line, with its indentation.
            var keyword = declaration.Keyword;
            return declaration
                .WithKeyword(keyword.WithLeadingTrivia())
                .WithModifiers(SyntaxFactory.TokenList(partial.WithLeadingTrivia(keyword.LeadingTrivia)));
        }
    }
}
