@allure.label.epic:Audit
Feature: Reading the audit log
  The audit log records who did what in the portal, when, and how it ended. Studio admins read all
  of it; an agency admin reads what concerns their own agency; to anyone else it does not exist.
  Admins narrow it down by person, by kind of entry, by what an entry is about and by time, and
  read it newest first, a page at a time.

  Background:
    Given Theo has added 2 tasks to Brightside Agency's project "Harbour Lights"
    And Lena has added 1 task to Lumen Creative's project "Northern Lights"

  Rule: Studio admins read every organisation's entries; an agency admin only their own; to anyone else the log does not exist

    @allure.severity:critical
    Scenario: Ada, at the studio, reads every organisation's entries
      Given Ada is signed in
      When Ada reads the audit log
      Then Ada sees 2 entries by Theo and 1 by Lena, each a "task.created"

    @security @allure.severity:critical
    Scenario: Bea reads only what happened at Brightside
      Given Bea is signed in
      When Bea reads the audit log
      Then Bea sees 2 entries by Theo and none by Lena

    @negative @security
    Scenario: Lena asks about Brightside's project and finds what she would find about a project that never existed
      Given Lena is signed in
      When Lena reads the audit log about the project "Harbour Lights"
      Then Lena sees no entries, exactly as about a project that never existed

    @negative @security @allure.severity:critical
    Scenario Outline: <person> cannot <action>
      Given <person> is signed in
      When <person> tries to <action>
      Then the portal answers <person> exactly as for an address that does not exist

      Examples: Producers and guests, of the agency or another
        | person  | action              |
        | Theo    | read the audit log  |
        | Theo    | read the audit kinds |
        | Gina    | read the audit log  |
        | Mallory | read the audit log  |
        | Mallory | read the audit kinds |

    @negative @security
    Scenario: Uma, who is not signed in, cannot read the audit log
      When Uma tries to read the audit log
      Then the portal answers Uma exactly as for an address that does not exist

  Rule: Admins narrow the log by person, kind, subject and time; a time range includes its start and not its end

    Scenario: Ada reads only what Lena did
      Given Ada is signed in
      When Ada reads the audit log of what Lena did
      Then Ada sees 1 entry by Lena and none by Theo

    Scenario: Ada reads only one kind of entry
      Given Theo has completed the task "Harbour Lights task 1"
      And Ada is signed in
      When Ada reads the audit log's "task.completed" entries
      Then Ada sees 1 entry by Theo, a "task.completed"

    Scenario: Ada reads only what concerns one project
      Given Ada is signed in
      When Ada reads the audit log about the project "Northern Lights"
      Then Ada sees 1 entry by Lena and none by Theo

    Scenario: An entry made exactly at the start of a time range is in it; one made exactly at its end is not
      Given Theo's first entry was made 3 days ago and his second 2 days ago
      And Ada is signed in
      When Ada reads the audit log from 3 days ago to 2 days ago
      Then Ada sees Theo's first entry and not his second

    @negative
    Scenario Outline: A filter the portal cannot read is refused, naming it: <problem>
      Given Ada is signed in
      When Ada reads the audit log with <problem>
      Then the portal refuses the filter "<filter>" and says "<says>"

      Examples:
        | problem                            | filter  | says                            |
        | a kind the catalogue does not list | kind    | Not an audit kind               |
        | a subject of no known type         | subject | with a type among               |
        | a project named by a word          | subject | positive whole number           |
        | a time without its offset from UTC | from    | offset from UTC                 |
        | a range that ends before it starts | to      | must come after its start       |
        | a cursor changed by hand           | cursor  | not given by the portal         |

  Rule: The log reads newest first, a page at a time, each entry exactly once

    Scenario: Ada reads Theo's five entries two at a time
      Given Theo has added 3 more tasks to "Harbour Lights"
      And Ada is signed in
      When Ada reads the audit log of what Theo did, 2 entries a page
      Then Ada reads 3 pages, of 2, 2 and 1 entries, the last without a way on
      And Ada has seen each of Theo's 5 entries once, newest first

  Rule: The catalogue explains every kind of entry the portal writes, and whether it names a person

    Scenario Outline: The catalogue explains "<kind>"
      Given Ada is signed in
      When Ada reads the catalogue of audit kinds
      Then the catalogue explains "<kind>" as "<description>", naming a person: <names a person>

      Examples:
        | kind                      | description                                                                           | names a person |
        | sign_in.link_requested    | Someone asked for a sign-in link (issued, ignored or rate limited)                    | yes            |
        | sign_in                   | Someone followed a sign-in link (signed in, or refused and why)                       | yes            |
        | person.suspended          | An admin suspended a person                                                           | yes            |
        | person.reinstated         | An admin reinstated a suspended person                                                | yes            |
        | invitation.sent           | An admin invited an address (sent, refused for a suppressed address, or rate limited) | yes            |
        | invitation.withdrawn      | An invitation was withdrawn: by its inviter, or because the inviter left              | yes            |
        | invitation.accepted       | Someone accepted an invitation and got an account (or was refused and why)            | yes            |
        | project.created           | A project was started                                                                 | yes            |
        | project.updated           | A project was renamed or its settings changed                                         | yes            |
        | project.deleted           | A project was deleted, with what went with it                                         | yes            |
        | project.restored          | A deleted project was restored                                                        | yes            |
        | asset.deleted             | A cut was deleted and its share links revoked                                         | yes            |
        | milestone.created         | A milestone was added to a project                                                    | yes            |
        | milestone.updated         | A milestone was changed                                                               | yes            |
        | milestone.reordered       | A project's milestones were put in a new order                                        | yes            |
        | milestone.deleted         | A milestone and its open tasks were deleted                                           | yes            |
        | task.created              | A task was added                                                                      | yes            |
        | task.updated              | A task was changed                                                                    | yes            |
        | task.completed            | A task was marked done                                                                | yes            |
        | task.reopened             | A done task was opened again                                                          | yes            |
        | task.deleted              | A task was deleted                                                                    | yes            |
        | task.handed_over          | A leaving person's task went to a colleague                                           | yes            |
        | task.unassigned           | A leaving person's task was left without an assignee                                  | yes            |
        | share_link.created        | A share link to a cut was made                                                        | yes            |
        | share_link.revoked        | A share link was revoked (by hand, by rotation, or with its cut)                      | yes            |
        | share_link.rotated        | A share link was replaced by a new one                                                | yes            |
        | email.sent_again          | An admin sent an email again                                                          | yes            |
        | email.suppression_lifted  | An admin lifted a suppression so an address gets email again                          | yes            |
        | email.delivery_held       | The portal held email delivery: the provider refused or rationed it                   | no             |
        | email.delivery_resumed    | The provider accepts email again and delivery resumed                                 | no             |
        | scheduled_task.run        | An admin ran a scheduled task on demand                                               | yes            |
        | audit.retention_applied   | Audit entries past the retention period were removed (how many)                       | no             |
        | project.legal_hold_placed | A studio admin put a project under legal hold                                         | yes            |
        | project.legal_hold_lifted | A studio admin lifted a project's legal hold                                          | yes            |
