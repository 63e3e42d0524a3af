/**
 * The Terraform names every reader of Terraform input looks for: the resource
 * types of the DMS.1 check, the attribute it judges, and the key under which
 * the guard records a suppression in the configuration it writes.
 *
 * @see https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/dms_replication_instance
 */

/**
 * Terraform type of a DMS replication instance.
 *
 * @see https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/dms_replication_instance
 */
export const DMS_INSTANCE_TYPE = 'aws_dms_replication_instance';
/**
 * Terraform type of a DMS replication task.
 *
 * @see https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/dms_replication_task
 */
export const DMS_TASK_TYPE = 'aws_dms_replication_task';
/**
 * Terraform type of a DMS endpoint.
 *
 * @see https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/dms_endpoint
 */
export const DMS_ENDPOINT_TYPE = 'aws_dms_endpoint';
/**
 * The instance attribute DMS.1 judges.
 *
 * @see https://docs.aws.amazon.com/securityhub/latest/userguide/dms-controls.html#dms-1
 */
export const PUBLICLY_ACCESSIBLE = 'publicly_accessible';

/**
 * Key under the `//` comment property of a resource or module block in
 * Terraform JSON where the guard records the suppression that applies to it,
 * so that the guard's final check and `dms-guard scan` of the synthesized
 * output read it the same way. Terraform ignores `//` properties.
 *
 * @see https://developer.hashicorp.com/terraform/language/syntax/json#comment-properties
 */
export const CONFIG_SUPPRESSION_KEY = 'cdktf-dms-guard';
