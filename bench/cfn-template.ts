/**
 * A large CloudFormation template in YAML, in the shapes real templates have:
 * buckets, roles with policies, functions, security groups, and (every
 * `dmsEvery`-th resource) a DMS replication instance that is public, private,
 * omitted or conditional. Written piece by piece.
 */
import * as fs from 'fs';

function resource(i: number, dmsEvery: number): string {
  if (i % dmsEvery === 0) {
    const kind = (i / dmsEvery) % 4;
    const value = ['true', 'false', undefined, '!If [IsProd, false, true]'][kind];
    return [
      `  Replication${i}:`,
      '    Type: AWS::DMS::ReplicationInstance',
      '    Properties:',
      `      ReplicationInstanceIdentifier: replication-${i}`,
      '      ReplicationInstanceClass: dms.t3.medium',
      '      AllocatedStorage: 50',
      '      ReplicationSubnetGroupIdentifier: !Ref ReplicationSubnets',
      '      VpcSecurityGroupIds: [!GetAtt SecurityGroup0.GroupId]',
      ...(value === undefined ? [] : [`      PubliclyAccessible: ${value}`]),
      '      Tags:',
      `        - {Key: team, Value: team-${i % 13}}`,
    ].join('\n');
  }
  switch (i % 4) {
    case 0:
      return [
        `  Bucket${i}:`,
        '    Type: AWS::S3::Bucket',
        '    Properties:',
        `      BucketName: !Sub "data-${i}-\${AWS::AccountId}-\${AWS::Region}"`,
        '      VersioningConfiguration: {Status: Enabled}',
        '      BucketEncryption:',
        '        ServerSideEncryptionConfiguration:',
        '          - ServerSideEncryptionByDefault: {SSEAlgorithm: "aws:kms"}',
      ].join('\n');
    case 1:
      return [
        `  Role${i}:`,
        '    Type: AWS::IAM::Role',
        '    Properties:',
        '      AssumeRolePolicyDocument:',
        '        Version: "2012-10-17"',
        '        Statement:',
        '          - Effect: Allow',
        '            Principal: {Service: lambda.amazonaws.com}',
        '            Action: sts:AssumeRole',
        '      Policies:',
        `        - PolicyName: read-${i}`,
        '          PolicyDocument:',
        '            Statement:',
        '              - Effect: Allow',
        '                Action: [s3:GetObject, s3:ListBucket]',
        `                Resource: !Join ["", [!GetAtt Bucket${i - 1}.Arn, "/*"]]`,
      ].join('\n');
    case 2:
      return [
        `  Function${i}:`,
        '    Type: AWS::Lambda::Function',
        '    Properties:',
        '      Runtime: nodejs20.x',
        '      Handler: index.handler',
        `      Role: !GetAtt Role${i - 1}.Arn`,
        '      Code:',
        '        ZipFile: |',
        '          exports.handler = async () => ({ statusCode: 200 });',
        '      Environment:',
        `        Variables: {TABLE: !Ref "AWS::StackName", INDEX: "${i}"}`,
      ].join('\n');
    default:
      return [
        `  SecurityGroup${i === 3 ? 0 : i}:`,
        '    Type: AWS::EC2::SecurityGroup',
        '    Properties:',
        `      GroupDescription: group ${i}`,
        '      VpcId: !ImportValue network-vpc',
        '      SecurityGroupIngress:',
        '        - {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/8}',
      ].join('\n');
  }
}

/**
 * Writes the template and returns its size in bytes.
 *
 * @param file where
 * @param resources how many resources
 * @param dmsEvery one resource in this many is a replication instance
 */
export function writeYamlTemplate(file: string, resources: number, dmsEvery: number): number {
  const fd = fs.openSync(file, 'w');
  try {
    fs.writeSync(
      fd,
      [
        'AWSTemplateFormatVersion: "2010-09-09"',
        'Description: A large generated template',
        'Parameters:',
        '  ReplicationSubnets: {Type: String}',
        'Conditions:',
        '  IsProd: !Equals [!Ref "AWS::AccountId", "111122223333"]',
        'Resources:',
        '',
      ].join('\n'),
    );
    let batch: string[] = [];
    for (let i = 1; i <= resources; i++) {
      batch.push(resource(i, dmsEvery));
      if (batch.length === 1000 || i === resources) {
        fs.writeSync(fd, `${batch.join('\n')}\n`);
        batch = [];
      }
    }
  } finally {
    fs.closeSync(fd);
  }
  return fs.statSync(file).size;
}
