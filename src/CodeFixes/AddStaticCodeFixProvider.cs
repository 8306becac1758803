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
    /// DG0001 (a [Differentiable] method must be static): adds <c>static</c> after the accessibility modifiers, where C#
    /// style puts it (<c>public static double F</c>), and drops <c>readonly</c> (a struct's instance-only modifier).
    /// Not offered for <c>virtual</c>, <c>abstract</c>, <c>override</c> and <c>sealed</c> methods and explicit interface
    /// implementations: those cannot simply become static. If the body reads instance state, the compiler then points
    /// at each use, which becomes a parameter (docs/diagnostics/DG0001.md).
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddStaticCodeFixProvider)), Shared]
    public sealed class AddStaticCodeFixProvider : DiffGenCodeFixProvider
    {
        protected override string DiagnosticId => DiagnosticIds.MethodNotStatic;

        protected override string EquivalenceKey => "DiffGen.AddStatic";

        protected override string FixAllTitle => "Make [Differentiable] methods static";

        private protected override async Task<ImmutableArray<SyntaxNode>> FindTargetsAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            if (root is null
                || root.FindToken(diagnostic.Location.SourceSpan.Start).Parent is not MethodDeclarationSyntax method
                || method.Modifiers.Any(SyntaxKind.StaticKeyword)
                || method.ExplicitInterfaceSpecifier is not null)
            {
                return ImmutableArray<SyntaxNode>.Empty;
            }

            foreach (var modifier in method.Modifiers)
            {
                if (modifier.IsKind(SyntaxKind.VirtualKeyword) || modifier.IsKind(SyntaxKind.AbstractKeyword)
                    || modifier.IsKind(SyntaxKind.OverrideKeyword) || modifier.IsKind(SyntaxKind.SealedKeyword))
                {
                    return ImmutableArray<SyntaxNode>.Empty;
                }
            }

            return ImmutableArray.Create<SyntaxNode>(method);
        }

        private protected override string Title(ImmutableArray<SyntaxNode> targets)
            => "Make '" + ((MethodDeclarationSyntax)targets[0]).Identifier.ValueText + "' static";

        private protected override Task<SyntaxNode> RewriteAsync(Document document, SyntaxNode root, IReadOnlyList<SyntaxNode> targets, CancellationToken cancellationToken)
            => Task.FromResult(root.ReplaceNodes(targets, static (_, method) => AddStatic((MethodDeclarationSyntax)method)));

        private static MethodDeclarationSyntax AddStatic(MethodDeclarationSyntax method)
        {
            // The first token after the attributes carries the line's indentation; it stays on whatever comes first.
            var modifiers = method.Modifiers;
            var leading = modifiers.Count > 0 ? modifiers[0].LeadingTrivia : method.ReturnType.GetLeadingTrivia();
            if (modifiers.Count > 0)
            {
                modifiers = modifiers.Replace(modifiers[0], modifiers[0].WithLeadingTrivia());
            }
            else
            {
                method = method.WithReturnType(method.ReturnType.WithoutLeadingTrivia());
            }

            var kept = new List<SyntaxToken>();
            foreach (var modifier in modifiers)
            {
                if (!modifier.IsKind(SyntaxKind.ReadOnlyKeyword))
                {
                    kept.Add(modifier);
                }
            }

            // After public/private/protected/internal: 'public static', 'protected internal static', 'static unsafe'.
            int index = 0;
            for (int i = 0; i < kept.Count; i++)
            {
                if (SyntaxFacts.IsAccessibilityModifier(kept[i].Kind()))
                {
                    index = i + 1;
                }
            }

            kept.Insert(index, SyntaxFactory.Token(SyntaxKind.StaticKeyword).WithTrailingTrivia(SyntaxFactory.Space));
            kept[0] = kept[0].WithLeadingTrivia(leading);
            return method.WithModifiers(SyntaxFactory.TokenList(kept));
        }
    }
}
