using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace DiffGen.CodeFixes
{
    /// <summary>
    /// What every DiffGen code fix shares. A fix is two steps: find the declarations a diagnostic asks to change (the
    /// method, every declaration of each type, the parameter; possibly in other documents), then rewrite each document
    /// that holds some of them once. The same two steps serve one diagnostic (the light bulb) and many (Fix All in a
    /// document, project or solution), so both give the same result and overlapping targets (two methods of one
    /// non-partial type) are changed once.
    /// </summary>
    public abstract class DiffGenCodeFixProvider : CodeFixProvider
    {
        private protected DiffGenCodeFixProvider()
        {
        }

        /// <summary>The diagnostic this provider fixes.</summary>
        protected abstract string DiagnosticId { get; }

        /// <summary>The code action's equivalence key: Fix All applies the actions that share it.</summary>
        protected abstract string EquivalenceKey { get; }

        /// <summary>The Fix All action's title.</summary>
        protected abstract string FixAllTitle { get; }

        public sealed override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(DiagnosticId);

        public sealed override FixAllProvider GetFixAllProvider() => new FixAll(this);

        public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            foreach (var diagnostic in context.Diagnostics)
            {
                var targets = await FindTargetsAsync(context.Document, diagnostic, context.CancellationToken).ConfigureAwait(false);
                if (targets.IsDefaultOrEmpty)
                {
                    // Nothing (left) to change: a diagnostic from before the last edit, or a case with no mechanical fix.
                    continue;
                }

                var solution = context.Document.Project.Solution;
                context.RegisterCodeFix(
                    CodeAction.Create(Title(targets), ct => ApplyAsync(solution, targets, ct), EquivalenceKey),
                    diagnostic);
            }
        }

        /// <summary>
        /// The syntax nodes the fix of <paramref name="diagnostic"/> rewrites, from the documents of
        /// <paramref name="document"/>'s solution; empty when there is nothing to fix.
        /// </summary>
        private protected abstract Task<ImmutableArray<SyntaxNode>> FindTargetsAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken);

        /// <summary>The light bulb's title for a fix that rewrites <paramref name="targets"/>.</summary>
        private protected abstract string Title(ImmutableArray<SyntaxNode> targets);

        /// <summary>Rewrites <paramref name="targets"/>, all in <paramref name="document"/>, and returns the new root.</summary>
        private protected abstract Task<SyntaxNode> RewriteAsync(Document document, SyntaxNode root, IReadOnlyList<SyntaxNode> targets, CancellationToken cancellationToken);

        private async Task<Solution> ApplyAsync(Solution solution, IEnumerable<SyntaxNode> targets, CancellationToken cancellationToken)
        {
            foreach (var group in targets.Distinct().GroupBy(t => t.SyntaxTree))
            {
                var document = solution.GetDocument(group.Key);
                if (document is null)
                {
                    // Not an editable document (generated code): nothing to change there.
                    continue;
                }

                var root = await group.Key.GetRootAsync(cancellationToken).ConfigureAwait(false);
                var newRoot = await RewriteAsync(document, root, group.ToList(), cancellationToken).ConfigureAwait(false);
                solution = solution.WithDocumentSyntaxRoot(document.Id, newRoot);
            }

            return solution;
        }

        /// <summary>
        /// Fix All: collects the diagnostics of the scope, their targets, and applies them in one solution change
        /// (the batch fixer would merge text edits instead, and drop overlapping ones).
        /// </summary>
        private sealed class FixAll : FixAllProvider
        {
            private readonly DiffGenCodeFixProvider _provider;

            public FixAll(DiffGenCodeFixProvider provider) => _provider = provider;

            public override IEnumerable<FixAllScope> GetSupportedFixAllScopes()
                => new[] { FixAllScope.Document, FixAllScope.Project, FixAllScope.Solution };

            public override async Task<CodeAction?> GetFixAsync(FixAllContext fixAllContext)
            {
                var projects = fixAllContext.Scope switch
                {
                    FixAllScope.Solution => fixAllContext.Solution.Projects,
                    FixAllScope.Project => new[] { fixAllContext.Project },
                    _ => Enumerable.Empty<Project>(),
                };

                var found = new List<(Document Document, Diagnostic Diagnostic)>();
                if (fixAllContext.Scope == FixAllScope.Document)
                {
                    if (fixAllContext.Document is { } document)
                    {
                        foreach (var diagnostic in await fixAllContext.GetDocumentDiagnosticsAsync(document).ConfigureAwait(false))
                        {
                            found.Add((document, diagnostic));
                        }
                    }
                }

                foreach (var project in projects)
                {
                    foreach (var diagnostic in await fixAllContext.GetAllDiagnosticsAsync(project).ConfigureAwait(false))
                    {
                        if (diagnostic.Location.SourceTree is { } tree && project.GetDocument(tree) is { } document)
                        {
                            found.Add((document, diagnostic));
                        }
                    }
                }

                var targets = new List<SyntaxNode>();
                foreach (var (document, diagnostic) in found)
                {
                    if (diagnostic.Id == _provider.DiagnosticId)
                    {
                        targets.AddRange(await _provider.FindTargetsAsync(document, diagnostic, fixAllContext.CancellationToken).ConfigureAwait(false));
                    }
                }

                return targets.Count == 0
                    ? null
                    : CodeAction.Create(_provider.FixAllTitle, ct => _provider.ApplyAsync(fixAllContext.Solution, targets, ct), _provider.EquivalenceKey);
            }
        }
    }
}
