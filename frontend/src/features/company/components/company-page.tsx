import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { DetailsList } from '@/components/ui/details-list';
import { FormActions } from '@/components/ui/form-actions';
import { FormError } from '@/components/ui/form-error';
import { PageHeader } from '@/components/ui/page-header';
import { ResourceGate } from '@/components/ui/resource-gate';
import { TextField } from '@/components/ui/text-field';
import { updateCompany } from '@/features/company/api/company';
import { useCompany, useCompanySaved } from '@/features/company/hooks/use-company';
import type { Company, CompanyUpdate } from '@/features/company/types/company';
import { useDocumentTitle } from '@/hooks/use-document-title';
import { collectErrors, useForm, validators } from '@/hooks/use-form';
import { formatDateTime } from '@/lib/format';

type DetailsValues = { name: string; contact_email: string; timezone: string };

function DetailsForm({ company, onSaved }: { company: Company; onSaved: (company: Company) => void }) {
  const form = useForm<DetailsValues>({
    initialValues: { name: company.name, contact_email: company.contact_email ?? '', timezone: company.timezone },
    validate: (values) =>
      collectErrors<DetailsValues>({
        name: validators.required(values.name, 'Company name'),
        contact_email: values.contact_email.trim() ? validators.email(values.contact_email) : undefined,
      }),
    onSubmit: async (values) => {
      const changes: CompanyUpdate = {};
      if (values.name.trim() !== company.name) changes.name = values.name.trim();
      const email = values.contact_email.trim() || null;
      if (email !== company.contact_email) changes.contact_email = email;
      if (values.timezone.trim() !== company.timezone) changes.timezone = values.timezone.trim();
      if (Object.keys(changes).length === 0) return;
      onSaved(await updateCompany(changes));
    },
  });

  return (
    <form onSubmit={form.handleSubmit} noValidate className="flex flex-col gap-4">
      <FormError message={form.formError} />
      {form.succeeded && <Alert tone="success">The company's details have been saved.</Alert>}
      <TextField
        label="Company name"
        name="name"
        required
        value={form.values.name}
        onChange={(value) => form.setValue('name', value)}
        error={form.fieldErrors.name}
      />
      <TextField
        label="Contact email"
        name="contact_email"
        type="email"
        hint="Where the platform's operators reach the company. Optional."
        value={form.values.contact_email}
        onChange={(value) => form.setValue('contact_email', value)}
        error={form.fieldErrors.contact_email}
      />
      <TextField
        label="Time zone"
        name="timezone"
        hint="An IANA time zone, like Europe/Berlin or America/New_York."
        value={form.values.timezone}
        onChange={(value) => form.setValue('timezone', value)}
        error={form.fieldErrors.timezone}
      />
      <FormActions>
        <Button type="submit" loading={form.submitting}>
          Save details
        </Button>
      </FormActions>
    </form>
  );
}

/** The company's page: who it is, how big it is, and its editable details. */
export function CompanyPage() {
  const company = useCompany();
  const saved = useCompanySaved();
  useDocumentTitle('Company');
  return (
    <ResourceGate resource={company} loadingLabel="Loading the company…" thing="company">
      {(data) => (
        <>
          <PageHeader
            title={data.name}
            description="Your company's details, as its members and the platform see them."
          />
          <div className="grid gap-6 lg:grid-cols-[1fr_20rem]">
            <Card title="Details">
              <DetailsForm company={data} onSaved={saved} />
            </Card>
            <Card title="At a glance">
              <DetailsList
                items={[
                  ['Status', data.status === 'active' ? 'Active' : 'Suspended'],
                  ['Created', formatDateTime(data.created_at)],
                  ['Users', `${data.counts.users} (${data.counts.active_users} active)`],
                  ['Admins', String(data.counts.admins)],
                  ['Company roles', String(data.counts.company_roles)],
                ]}
              />
            </Card>
          </div>
        </>
      )}
    </ResourceGate>
  );
}
