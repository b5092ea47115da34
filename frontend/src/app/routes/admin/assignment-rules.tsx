import { Link } from 'react-router';

import { buttonClassName } from '@/components/ui/button';
import { PageHeader } from '@/components/ui/page-header';
import { paths } from '@/config/paths';
import { AssignmentRulesView } from '@/features/assignment/components/assignment-rules';
import { useDocumentTitle } from '@/hooks/use-document-title';

export function AssignmentRulesRoute() {
  useDocumentTitle('Assignment rules');
  return (
    <>
      <PageHeader
        title="Assignment rules"
        description="Who receives each form task: the company’s rule, a rule per task, and groups of workers."
        actions={
          <Link to={paths.assignmentQueue} className={buttonClassName({ variant: 'secondary' })}>
            Assign tasks by hand
          </Link>
        }
      />
      <AssignmentRulesView />
    </>
  );
}
