using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DiffGen.Generator.FrontEnd
{
    /// <summary>
    /// Syntactic facts about jumps, used to turn <c>return</c>, <c>break</c> and <c>continue</c> into structured
    /// control flow: whether a statement always leaves the enclosing block, and whether it may.
    /// </summary>
    internal static class ExitAnalysis
    {
        /// <summary>True when every path through <paramref name="operation"/> ends in return, break or continue.</summary>
        public static bool AlwaysExits(IOperation? operation) => operation switch
        {
            IReturnOperation => true,
            IBranchOperation { BranchKind: BranchKind.Break or BranchKind.Continue } => true,
            IBlockOperation block => AnyAlwaysExits(block),
            IConditionalOperation { WhenFalse: not null } c => AlwaysExits(c.WhenTrue) && AlwaysExits(c.WhenFalse),
            _ => false,
        };

        /// <summary>True when some path through <paramref name="operation"/> leaves the enclosing block.</summary>
        public static bool MayExit(IOperation? operation, bool insideNestedLoop = false)
        {
            switch (operation)
            {
                case null:
                    return false;
                case IReturnOperation:
                    return true;
                case IBranchOperation { BranchKind: BranchKind.Break or BranchKind.Continue }:
                    return !insideNestedLoop;
                case ILoopOperation loop:
                    foreach (var child in loop.ChildOperations)
                    {
                        if (MayExit(child, insideNestedLoop: true))
                        {
                            return true;
                        }
                    }

                    return false;
                default:
                    foreach (var child in operation.ChildOperations)
                    {
                        if (MayExit(child, insideNestedLoop))
                        {
                            return true;
                        }
                    }

                    return false;
            }
        }

        /// <summary>True when the loop body contains a break or return that leaves this loop.</summary>
        public static bool BreaksOut(IOperation? body, bool nested = false)
        {
            switch (body)
            {
                case null:
                    return false;
                case IReturnOperation:
                    return true;
                case IBranchOperation { BranchKind: BranchKind.Break }:
                    return !nested;
                default:
                    foreach (var child in body.ChildOperations)
                    {
                        if (BreaksOut(child, nested || body is ILoopOperation))
                        {
                            return true;
                        }
                    }

                    return false;
            }
        }

        private static bool AnyAlwaysExits(IBlockOperation block)
        {
            foreach (var statement in block.Operations)
            {
                if (AlwaysExits(statement))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
